"""`ResponsiveImageField`: an image field whose uploads are verified and re-encoded, stored
under generated names, with renditions made on save and files removed when replaced."""

import logging
from contextlib import suppress
from functools import partial
from pathlib import PurePosixPath
from uuid import uuid4

from django import forms
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.core.files.images import get_image_dimensions
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import signals
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsroom.images.renditions import (
    SCALED,
    SPECS,
    Picture,
    build,
    delete_files,
    files_of,
    reusable,
)
from newsroom.images.uploads import ACCEPTED_FORMATS, verified_image

ACCEPT = "image/jpeg,image/png,image/webp"
logger = logging.getLogger(__name__)
CENTRE = 50


@deconstructible
class GeneratedName:
    """`upload_to` that ignores the uploaded name: `folder/<random hex>.<known extension>`.

    `folder` may hold `strftime` codes, as `upload_to` strings do.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePosixPath(filename).suffix.lower()
        if extension not in ACCEPTED_FORMATS.values():
            extension = ""
        return f"{timezone.now().strftime(self.folder)}/{uuid4().hex}{extension}"


class VerifiedImageFormField(forms.FileField):
    """A file input that accepts only what `newsroom.images.uploads.verified_image` accepts and
    hands the model its clean re-encoded copy."""

    def __init__(self, *, min_size=(1, 1), **kwargs):
        # The uploaded name is never stored, so its length does not matter.
        kwargs.pop("max_length", None)
        self.min_size = min_size
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return verified_image(upload, min_size=self.min_size)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


def focus_field(verbose_name):
    """One coordinate of an image's focal point, in percent of its width or height.

    Empty (or left out of a form) means the centre.
    """
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        default=CENTRE,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Crops keep this point in view. Click on the image to set it; empty means the centre."
        ),
    )


def renditions_field():
    """The manifest of an image field's renditions (see `newsroom.images.renditions`)."""
    return models.JSONField(default=dict, blank=True, editable=False)


class ResponsiveFieldFile(ImageFieldFile):
    @property
    def picture(self):
        """The whole image at every width made (`<picture>` data); None without an image,
        or when its file could not be read when it was saved or last checked."""
        return Picture.of(self, SCALED) if self else None

    @property
    def crops(self):
        """The focal-point crops, by group name (`crops.social`, `crops.square`); each None
        when the image cannot be shown."""
        if not self:
            return {}
        return {group: Picture.of(self, group) for group in self.field.spec.crops}

    @property
    def manifest(self):
        return getattr(self.instance, self.field.renditions_field)

    @property
    def stored_bytes(self):
        """The original's length in bytes as the manifest records it, or None."""
        manifest = self.manifest or {}
        return manifest.get("bytes") if manifest.get("source") == self.name else None

    @property
    def original_size(self):
        """(width, height) from the model's dimension fields: no file access. (None, None)
        when the file could not be read when the image was saved or last checked."""
        return (
            getattr(self.instance, self.field.width_field),
            getattr(self.instance, self.field.height_field),
        )

    def store_dimensions(self):
        """Read the stored original's size into the dimension fields: (None, None) if its
        file is missing or not an image. Only writes call this: pages never open files."""
        try:
            with self.storage.open(self.name, "rb") as stored:
                size = get_image_dimensions(stored)
        except OSError:
            logger.warning("Image file missing or unreadable: %s", self.name, exc_info=True)
            size = (None, None)
        setattr(self.instance, self.field.width_field, size[0])
        setattr(self.instance, self.field.height_field, size[1])
        return size

    @property
    def focus(self):
        """The focal point in percent from the top left, clamped to the image."""
        values = [getattr(self.instance, name) for name in self.field.focus_fields]
        return tuple(CENTRE if value is None else min(100, max(0, value)) for value in values)


class ResponsiveImageField(models.ImageField):
    """An `ImageField` with renditions named by `spec` (a key of
    `newsroom.images.renditions.SPECS`).

    The model declares, next to a field called `photo`: `photo_width` and `photo_height`
    (as `width_field`/`height_field`), `photo_focus_x` and `photo_focus_y` (percentages),
    and `photo_renditions` (a JSONField holding the manifest).

    The dimensions are read once, when a new original is saved (or by `rebuild_renditions`
    for rows stored without them), never when a row is loaded: Django's `ImageField` opens
    the file of every row it loads whose dimensions are empty, so a page listing twenty
    articles made twenty round trips to storage, and a file gone from storage was a 500.
    """

    attr_class = ResponsiveFieldFile

    def __init__(self, *args, spec, **kwargs):
        self.spec_name = spec
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        return SPECS[self.spec_name]

    @property
    def renditions_field(self):
        return f"{self.name}_renditions"

    @property
    def focus_fields(self):
        return (f"{self.name}_focus_x", f"{self.name}_focus_y")

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["spec"] = self.spec_name
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.spec_name not in SPECS:
            errors.append(checks.Error(f"Unknown rendition spec {self.spec_name!r}.", obj=self))
        companions = [self.width_field, self.height_field, self.renditions_field]
        for companion in [*companions, *self.focus_fields]:
            try:
                self.model._meta.get_field(companion or "")
            except FieldDoesNotExist:
                errors.append(
                    checks.Error(f"{self.name} needs a companion field {companion!r}.", obj=self)
                )
        return errors

    def formfield(self, **kwargs):
        min_width, min_height = self.spec.min_size
        help_text = lazy(
            lambda: (
                gettext("JPEG, PNG or WebP, at least %(width)s × %(height)s pixels.")
                % {"width": min_width, "height": min_height}
            ),
            str,
        )()
        return super().formfield(
            **{
                "form_class": VerifiedImageFormField,
                "min_size": (min_width, min_height),
                "help_text": help_text,
                **kwargs,
            }
        )

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Nothing, whether a row is loaded or a file assigned: `refresh_renditions` stores
        the dimensions of a new original when the row is saved."""

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            # Any sender: saves through a proxy model are sent as the proxy.
            signals.pre_save.connect(self.refresh_renditions)
            signals.post_delete.connect(self.delete_files)

    def refresh_renditions(self, instance, raw=False, update_fields=None, **kwargs):
        """Before each save: store a new upload, make the renditions it lacks and, once the
        transaction commits, delete the files the new manifest no longer owns."""
        if not isinstance(instance, self.model) or raw:
            return
        if update_fields is not None and self.renditions_field not in update_fields:
            return
        field_file = getattr(instance, self.attname)
        previous = getattr(instance, self.renditions_field)
        manifest = {}
        if field_file:
            if not field_file._committed:
                field_file.save(field_file.name, field_file.file, save=False)
            is_new = (previous or {}).get("source") != field_file.name
            if is_new or not all(field_file.original_size):
                field_file.store_dimensions()
            try:
                manifest = build(field_file, previous)
            except Exception:
                # Uploads through forms are verified; a file written some other way that
                # Pillow cannot decode keeps the renditions already made of it, and is
                # shown as it is only if its size could be read (`rebuild_renditions`
                # retries).
                logger.warning("No renditions for %s", field_file.name, exc_info=True)
                kept = reusable(field_file, previous).values()
                manifest = {"source": field_file.name, "renditions": list(kept)}
                if all(field_file.original_size):
                    # Served as it is: feeds give its length.
                    with suppress(OSError):
                        manifest["bytes"] = self.storage.size(field_file.name)
        else:
            setattr(instance, self.width_field, None)
            setattr(instance, self.height_field, None)
        setattr(instance, self.renditions_field, manifest)
        superseded = self.unused_files(instance, previous, manifest)
        if superseded:
            transaction.on_commit(partial(delete_files, self.storage, superseded))

    def delete_files(self, instance, **kwargs):
        """After a delete commits, remove the original and all its renditions."""
        if not isinstance(instance, self.model):
            return
        field_file = getattr(instance, self.attname)
        manifest = getattr(instance, self.renditions_field) or {}
        if field_file and manifest.get("source") != field_file.name:
            manifest = {"source": field_file.name, "renditions": []}
        names = self.unused_files(instance, manifest, {})
        if names:
            transaction.on_commit(partial(delete_files, self.storage, names))

    def unused_files(self, instance, previous, current):
        """The files of manifest `previous` that manifest `current` no longer has, unless
        another row shares the original (imports name files by their content)."""
        names = files_of(previous) - files_of(current)
        source = (previous or {}).get("source")
        if names and source:
            others = type(instance)._default_manager.exclude(pk=instance.pk)
            if others.filter(**{self.name: source}).exists():
                return set()
        return names
