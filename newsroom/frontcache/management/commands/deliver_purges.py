from django.core.management.base import BaseCommand, CommandError

from newsroom.frontcache.models import PendingPurge
from newsroom.frontcache.purges import deliver_pending


class Command(BaseCommand):
    help = (
        "Send the frontend caches the purges they have not confirmed yet "
        "(NEWSROOM_FRONTEND_CACHES). Exits non-zero while some remain."
    )

    def handle(self, *args, **options):
        if not deliver_pending():
            raise CommandError(
                f"{PendingPurge.objects.count()} purges are still pending: a frontend cache "
                "did not answer (see the log); they are kept and sent on the next run."
            )
        self.stdout.write(self.style.SUCCESS("No purge pending."))
