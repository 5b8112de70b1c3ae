from argparse import ArgumentTypeError
from datetime import datetime, time

from django.core.management.base import BaseCommand
from django.utils import timezone

from newsroom.transfer.jsonfile import Exporter


def parse_since(value):
    """A date (midnight, local time) or an ISO 8601 date and time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2024-01-31") from None
    if len(value) <= 10:
        moment = datetime.combine(moment.date(), time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Write authors, sections, topics and articles as Newsroom JSON to standard output "
        "(the format import_articles reads). Only what readers can see, unless "
        "--include-unpublished."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=parse_since,
            help="Only articles changed since this date (authors, sections, topics: all).",
        )
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help="Also drafts, articles in review, scheduled ones and unreleased translations.",
        )

    def handle(self, *args, **options):
        self.stdout.ending = ""  # the exporter writes the JSON text in pieces
        exporter = Exporter(
            self.stdout,
            since=options["since"],
            include_unpublished=options["include_unpublished"],
        )
        exporter.write()
        counts = ", ".join(f"{number} {plural}" for plural, number in exporter.counts.items())
        self.stderr.write(self.style.SUCCESS(f"Exported {counts}."))
