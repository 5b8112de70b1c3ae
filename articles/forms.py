from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Topic
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

    def chosen_articles(self):
        """The articles the chosen filters allow, or None when no filter is chosen (the form
        must be valid)."""
        data = self.cleaned_data
        conditions = []
        if data["section"]:
            conditions.append(Q(section=data["section"]))
        if data["topic"]:
            conditions.append(Q(pk__in=data["topic"].tagged_articles()))
        if data["author"]:
            conditions.append(Q(pk__in=data["author"].articles.values("pk")))
        if data["since"]:
            conditions.append(Q(published_at__date__gte=data["since"]))
        if data["until"]:
            conditions.append(Q(published_at__date__lte=data["until"]))
        return Article.objects.filter(*conditions) if conditions else None
