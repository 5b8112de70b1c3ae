"""Remove from the rows saved before text was cleaned on input the characters no stored text
may hold (newsroom/characters.py): the models clean every later save."""

from django.db import migrations

from newsroom.characters import remove_unsafe_characters, text_field_names

MODELS = [
    ("articles", "Article"),
    ("articles", "Section"),
    ("articles", "Topic"),
    ("authors", "Author"),
    ("notices", "SiteNotice"),
]


def clean_existing_rows(apps, schema_editor):
    for app_label, model_name in MODELS:
        model = apps.get_model(app_label, model_name)
        names = text_field_names(model)
        changed = []
        for row in model.objects.values("pk", *names).iterator(chunk_size=500):
            cleaned = {name: remove_unsafe_characters(row[name]) for name in names}
            if any(cleaned[name] != row[name] for name in names):
                changed.append((row["pk"], cleaned))
        for pk, cleaned in changed:
            model.objects.filter(pk=pk).update(**cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_release_time_indexes"),
        ("authors", "0002_photo_renditions"),
        ("notices", "0001_initial"),
    ]

    operations = [migrations.RunPython(clean_existing_rows, migrations.RunPython.noop)]
