"""Author photos become rows of the image library: their files and renditions stay where
they are (nothing is encoded again)."""

import django.db.models.deletion
from django.db import migrations, models

IMAGE_COLUMNS = ("width", "height", "focus_x", "focus_y", "renditions")


def to_library(apps, schema_editor):
    Author = apps.get_model("authors", "Author")
    Image = apps.get_model("images", "Image")
    authors = list(Author.objects.exclude(photo="").order_by("pk"))
    images = {}
    for author in authors:
        images.setdefault(
            author.photo.name,
            Image(
                title=author.name_en or author.name or "",
                file=author.photo.name,
                **{f"file_{column}": getattr(author, f"photo_{column}") for column in IMAGE_COLUMNS},
            ),
        )
    # Without the model's signals: the renditions are already made.
    ids = {image.file.name: image.pk for image in Image.objects.bulk_create(images.values())}
    for author in authors:
        author.picture_id = ids[author.photo.name]
    Author.objects.bulk_update(authors, ["picture"])


def from_library(apps, schema_editor):
    Author = apps.get_model("authors", "Author")
    authors = list(Author.objects.exclude(picture=None).select_related("picture"))
    for author in authors:
        author.photo = author.picture.file.name
        for column in IMAGE_COLUMNS:
            setattr(author, f"photo_{column}", getattr(author.picture, f"file_{column}"))
    Author.objects.bulk_update(authors, ["photo", *(f"photo_{c}" for c in IMAGE_COLUMNS)])


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0002_photo_renditions"),
        ("images", "0001_image_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="picture",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="images.image",
            ),
        ),
        migrations.RunPython(to_library, from_library),
    ]
