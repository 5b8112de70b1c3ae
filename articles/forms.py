from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Section, Topic
from authors.models import Author

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """The reader's search: words, and optional section, topic, author and date filters."""

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        required=False,
        empty_label=_("All sections"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("All topics"),
    )
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Author.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All authors"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Authors of the reader's language, read when the form is built, not at import.
        self.fields["author"].queryset = Author.objects.with_live_articles().order_by("name")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date must come before the end date."))
        return cleaned

    def filter(self, articles):
        """`articles` narrowed by the chosen filters (the form must be valid)."""
        data = self.cleaned_data
        if data["section"]:
            articles = articles.filter(section=data["section"])
        if data["topic"]:
            articles = articles.filter(pk__in=data["topic"].tagged_articles())
        if data["author"]:
            articles = articles.filter(pk__in=data["author"].articles.values("pk"))
        if data["since"]:
            articles = articles.filter(published_at__date__gte=data["since"])
        if data["until"]:
            articles = articles.filter(published_at__date__lte=data["until"])
        return articles
