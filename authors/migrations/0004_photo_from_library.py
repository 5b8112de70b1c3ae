import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0003_photos_in_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="author", name="photo"),
        migrations.RemoveField(model_name="author", name="photo_width"),
        migrations.RemoveField(model_name="author", name="photo_height"),
        migrations.RemoveField(model_name="author", name="photo_focus_x"),
        migrations.RemoveField(model_name="author", name="photo_focus_y"),
        migrations.RemoveField(model_name="author", name="photo_renditions"),
        migrations.RenameField(model_name="author", old_name="picture", new_name="photo"),
        migrations.AlterField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="photo_of",
                to="images.image",
                verbose_name="photo",
            ),
        ),
    ]
