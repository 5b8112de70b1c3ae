from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import roles
from articles.models import language_codes

VIEW_TAXONOMY = ["articles.view_section", "articles.view_topic", "authors.view_author"]
BYLINES_AND_LINKS = [
    f"articles.{verb}_{model}"
    for model in ("articleauthor", "relatedarticle")
    for verb in ("add", "change", "delete", "view")
]
EDITOR_MODELS = {
    "articles": ["article", "articleauthor", "relatedarticle", "section", "topic", "articleevent"],
    "authors": ["author"],
    "pages": ["page", "pageevent"],
    "images": ["image"],
    "notices": ["sitenotice"],
}


def role_permissions():
    """{group name: ["app_label.codename", ...]} for every role the desk uses."""
    editor = [
        f"{app}.{verb}_{model}"
        for app, models in EDITOR_MODELS.items()
        for model in models
        for verb in ("add", "change", "delete", "view")
    ]
    editor += ["articles.publish_article"]
    # Editors link author profiles to user accounts: the account autocomplete lists them.
    editor += ["auth.view_user"]
    editor += [f"articles.translate_{code}" for code in language_codes()]
    permissions = {
        roles.AUTHOR: [
            "articles.add_article",
            "articles.change_article",
            "articles.view_article",
            *BYLINES_AND_LINKS,
            *VIEW_TAXONOMY,
            # Authors add to the image library and edit what they added; deleting is an
            # editor's decision.
            "images.add_image",
            "images.change_image",
            "images.view_image",
        ],
        roles.EDITOR: editor,
    }
    for code in language_codes():
        permissions[roles.translator_group(code)] = [
            "articles.view_article",
            "articles.change_article",
            f"articles.translate_{code}",
            "pages.view_page",
            "pages.change_page",
            "articles.view_articleauthor",
            "articles.view_relatedarticle",
            "images.view_image",
            *VIEW_TAXONOMY,
        ]
    return permissions


class Command(BaseCommand):
    help = (
        "Create or update the desk's groups: Author, Editor and one Translator group per "
        "language. Idempotent: each group ends up with exactly the permissions of its role."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for name, codes in role_permissions().items():
            group, created = Group.objects.get_or_create(name=name)
            wanted = [self.permission(code) for code in codes]
            group.permissions.set(wanted)
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} {name}: {len(wanted)} permissions")
        self.stdout.write(self.style.SUCCESS("Roles are set up."))

    def permission(self, dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
