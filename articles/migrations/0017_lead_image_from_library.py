import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_lead_images_in_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="lead_image"),
        migrations.RemoveField(model_name="article", name="lead_image_width"),
        migrations.RemoveField(model_name="article", name="lead_image_height"),
        migrations.RemoveField(model_name="article", name="lead_image_focus_x"),
        migrations.RemoveField(model_name="article", name="lead_image_focus_y"),
        migrations.RemoveField(model_name="article", name="lead_image_renditions"),
        migrations.RenameField(model_name="article", old_name="lead_picture", new_name="lead_image"),
        migrations.AlterField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="lead_of",
                to="images.image",
                verbose_name="lead image",
            ),
        ),
    ]
