"""Lead images become rows of the image library: their files and renditions stay where
they are (nothing is encoded again); articles sharing one file share one image."""

import django.db.models.deletion
from django.db import migrations, models

IMAGE_COLUMNS = ("width", "height", "focus_x", "focus_y", "renditions")


def to_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    articles = list(Article.objects.exclude(lead_image="").order_by("pk"))
    images = {}
    for article in articles:
        if article.lead_image.name in images:
            continue
        code = article.original_language
        images[article.lead_image.name] = Image(
            title=(getattr(article, f"title_{code}", "") or article.title_en or "")[:200],
            credit=(getattr(article, f"image_credit_{code}", "") or "")[:200],
            file=article.lead_image.name,
            **{f"file_{column}": getattr(article, f"lead_image_{column}") for column in IMAGE_COLUMNS},
        )
    # Without the model's signals: the renditions are already made.
    created = Image.objects.bulk_create(images.values())
    ids = {image.file.name: image.pk for image in created}
    for article in articles:
        article.lead_picture_id = ids[article.lead_image.name]
    Article.objects.bulk_update(articles, ["lead_picture"], batch_size=500)


def from_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = list(Article.objects.exclude(lead_picture=None).select_related("lead_picture"))
    for article in articles:
        image = article.lead_picture
        article.lead_image = image.file.name
        for column in IMAGE_COLUMNS:
            setattr(article, f"lead_image_{column}", getattr(image, f"file_{column}"))
    fields = ["lead_image", *(f"lead_image_{column}" for column in IMAGE_COLUMNS)]
    Article.objects.bulk_update(articles, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_section_in_navigation"),
        ("images", "0001_image_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="lead_picture",
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
