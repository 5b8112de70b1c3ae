"""The translator's page for one language of an article: the original beside the
translation, what changed in the original since the translation was last confirmed, and
the form to update and confirm it."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from articles import revisions, roles, services
from articles.diffs import text_changes
from articles.forms import EditConflictForm, media_with_nonce, rich_text_field
from articles.models import TRANSLATED_TEXT_FIELDS, Article, TranslationState


class TranslationForm(EditConflictForm):
    def _update_errors(self, errors):
        """The model's `clean()` may name fields this form does not show (`ready_fr`):
        report those above the form."""
        shown = {}
        for name, messages_ in errors.message_dict.items():
            shown.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(
                messages_
            )
        super()._update_errors(ValidationError(shown))


def translation_form(language, *args, **kwargs):
    """A form for one language's title, standfirst, body (in the article form's rich text
    editor) and readiness."""
    body = f"body_{language}"

    def formfield(db_field, **field_kwargs):
        field = db_field.formfield(**field_kwargs)
        return rich_text_field(field) if db_field.name == body else field

    form_class = forms.modelform_factory(
        Article,
        form=TranslationForm,
        fields=[*(f"{field}_{language}" for field in TRANSLATED_TEXT_FIELDS), f"ready_{language}"],
        formfield_callback=formfield,
    )
    return form_class(*args, **kwargs)


def translation_view(model_admin, request, object_id, language):
    article = model_admin.get_object(request, object_id)
    names = dict(settings.LANGUAGES)
    if article is None or language not in names or language == article.original_language:
        raise Http404("No such translation.")
    if not roles.can_edit_language(request.user, article, language):
        raise PermissionDenied
    language_name = names[language]

    form = translation_form(language, request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        confirmed = "_confirm" in request.POST
        if confirmed:
            setattr(article, f"translated_from_{language}", article.original_version)
        form.save()
        services.record_edit(article, by=request.user, language=language)
        revisions.save_revision(article, by=request.user)
        if confirmed:
            message = _("%(language)s translation saved and confirmed up to date.")
        else:
            message = _("%(language)s translation saved.")
        message %= {"language": language_name}
        model_admin.log_change(request, article, message)
        messages.success(request, message)
        return redirect(request.path)

    state = article.translation_state(language)
    changes = None
    if state == TranslationState.OUTDATED:
        confirmed = article.original_texts.filter(
            version=article.translated_from_version(language)
        ).first()
        if confirmed is not None:
            changes = [
                change
                for change in text_changes(confirmed.text(), article.original_text())
                if change.changed
            ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "article": article,
        "title": _("%(language)s translation: %(article)s")
        % {"language": language_name, "article": article},
        "language": language,
        "language_name": language_name,
        "original_name": names[article.original_language],
        "original": article.original_text(),
        "state": state,
        "changes": changes,
        "form": form,
        "media": media_with_nonce(request, form.media),
    }
    return TemplateResponse(request, "admin/articles/article/translation.html", context)
