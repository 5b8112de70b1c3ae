from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from articles.services import due_publications, perform_publication
from newsroom.frontcache.purges import deliver_pending


class Command(BaseCommand):
    help = (
        "Perform what publishing entails (history entry, page-cache refresh, log line) for "
        "scheduled articles, site pages and language versions whose time has come, oldest "
        "first, once each. Readers see them on time without it; run it from cron every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due and change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        due = due_publications()
        performed = failed = 0
        for moment, kind, item_id, language in due:
            version = language or "all languages"
            name = apps.get_model(kind)._meta.verbose_name
            item = f"{name} {item_id} ({version}), due {moment:%Y-%m-%d %H:%M %Z}"
            if dry_run:
                self.stdout.write(f"Would publish {item}")
                continue
            try:
                event = perform_publication(kind, item_id, language, moment)
            except Exception as error:  # noqa: BLE001 (report it, carry on with the rest)
                failed += 1
                self.stderr.write(self.style.ERROR(f"Failed on {item}: {error!r}"))
                continue
            if event is not None:
                performed += 1
                self.stdout.write(f"Published {item}")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{len(due)} due (dry run: nothing changed)."))
            return
        # Purges a frontend cache missed earlier are retried here too, every minute.
        deliver_pending()
        summary = f"{performed} published, {len(due) - performed - failed} already done elsewhere."
        if failed:
            raise CommandError(f"{summary} {failed} failed.")
        self.stdout.write(self.style.SUCCESS(summary))
