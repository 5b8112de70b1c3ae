from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from newsroom.images.fields import ResponsiveImageField
from newsroom.images.renditions import build, delete_files, missing, plan_for, reusable

PROGRESS_EVERY = 50


def image_fields():
    """(model, field) for every `ResponsiveImageField` of the project."""
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, ResponsiveImageField)
    ]


class Command(BaseCommand):
    help = (
        "Make the renditions (resized and cropped copies) of every image of the library "
        "(lead images, figures, author photos). With --missing-only, make only those not "
        "made yet or whose files are gone from storage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Keep renditions that exist; make only the missing ones.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be made; change nothing."
        )

    def handle(self, *args, missing_only=False, dry_run=False, **options):
        self.verbosity = options["verbosity"]
        work = []
        for model, field in image_fields():
            rows = model._default_manager.exclude(**{field.name: ""}).order_by("pk")
            work.append((model, field, rows))
        total = sum(rows.count() for _model, _field, rows in work)
        done = images = made = 0
        failures = []
        for model, field, rows in work:
            for instance in rows.iterator(chunk_size=200):
                done += 1
                label = f"{model._meta.label_lower} {instance.pk}"
                try:
                    count = self.rebuild(instance, field, missing_only, dry_run)
                except Exception as error:
                    # One unreadable original must not stop a library-wide rebuild.
                    failures.append(f"{label}: {error}")
                    self.stderr.write(f"{label}: {error}")
                    continue
                images += bool(count)
                made += count
                if self.verbosity >= 2:
                    self.stdout.write(f"[{done}/{total}] {label}: {count} renditions")
                elif done % PROGRESS_EVERY == 0 or done == total:
                    self.stdout.write(f"[{done}/{total}] images checked")
        verb = "would make" if dry_run else "made"
        summary = f"{total} images checked, {verb} {made} renditions for {images} of them."
        if failures:
            raise CommandError(f"{summary} {len(failures)} failed:\n" + "\n".join(failures))
        self.stdout.write(self.style.SUCCESS(summary))

    def rebuild(self, instance, field, missing_only, dry_run):
        """The number of renditions made (or, with `dry_run`, to make) for one image.

        Reads the size of an original stored without it. An original that cannot be read
        keeps only its renditions still in storage and is no longer served as it is, so
        that pages show only what exists; the command then reports it as failed.
        """
        field_file = getattr(instance, field.attname)
        previous = getattr(instance, field.renditions_field)
        size_before = field_file.original_size
        if not all(size_before):
            field_file.store_dimensions()
        try:
            if missing_only:
                keys = missing(field_file, previous, verify=True)
            else:
                keys = [planned.key for planned in plan_for(field_file)]
            if dry_run:
                return len(keys)
            manifest = build(field_file, previous, reuse=missing_only, verify=missing_only)
        except Exception:
            if not dry_run:
                kept = reusable(field_file, previous, verify=True).values()
                setattr(instance, field.width_field, None)
                setattr(instance, field.height_field, None)
                self.save(
                    instance,
                    field,
                    previous,
                    {"source": field_file.name, "renditions": list(kept)},
                    size_before,
                )
            raise
        self.save(instance, field, previous, manifest, size_before)
        return len(keys)

    def save(self, instance, field, previous, manifest, size_before):
        changed = []
        if manifest != previous:
            setattr(instance, field.renditions_field, manifest)
            changed.append(field.renditions_field)
        if getattr(instance, field.attname).original_size != size_before:
            changed += [field.width_field, field.height_field]
        if changed:
            # A save, not an update(): the save signals tell the page cache.
            instance.save(update_fields=changed)
        if manifest != previous:
            delete_files(field.storage, field.unused_files(instance, previous, manifest))
