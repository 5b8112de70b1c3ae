import csv
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator

from articles.models import Article

FORMATS = ["table", "csv", "json"]


class Command(BaseCommand):
    help = (
        "Print each article's translation state per language (missing, in_progress, "
        "outdated, ready) and the totals per language."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Only this language (default: all configured languages).",
        )
        parser.add_argument("--format", choices=FORMATS, default="table")
        parser.add_argument(
            "--fail-on-outdated",
            action="store_true",
            help="Exit with status 1 when an article live in any language has an outdated "
            "translation.",
        )

    def handle(self, *args, language, format, fail_on_outdated, **options):
        codes = [language] if language else [code for code, _name in settings.LANGUAGES]
        articles = Article.objects.with_translation_states().order_by("pk")
        columns = ["id", "title", "original_language", "status", *codes]
        rows = (
            {
                "id": article["pk"],
                "title": article[f"title_{article['original_language']}"] or "",
                "original_language": article["original_language"],
                "status": article["status"],
                **{code: article[f"state_{code}"] for code in codes},
            }
            for article in articles.values(
                "pk",
                "original_language",
                "status",
                *(f"title_{code}" for code, _name in settings.LANGUAGES),
                *(f"state_{code}" for code in codes),
            ).iterator(chunk_size=2000)
        )
        totals = {
            code: {str(state): count for state, count in counts.items()}
            for code, counts in Article.objects.translation_totals().items()
            if code in codes
        }
        getattr(self, f"write_{format}")(columns, rows, totals)

        if fail_on_outdated:
            count = Article.objects.live_in_any_language().with_outdated_translation(codes).count()
            if count:
                raise CommandError(
                    f"{count} live article(s) have an outdated translation.", returncode=1
                )

    def write_table(self, columns, rows, totals):
        widths = {"id": 7, "title": 46, "original_language": 9, "status": 10}

        def line(cells):
            return " ".join(
                cell.ljust(widths.get(column, 12))
                for column, cell in zip(columns, cells, strict=True)
            ).rstrip()

        self.stdout.write(
            line(["ID", "TITLE", "ORIGINAL", "STATUS", *map(str.upper, columns[4:])])
        )
        for row in rows:
            cells = [str(row[column]) for column in columns]
            cells[1] = Truncator(cells[1]).chars(widths["title"])
            self.stdout.write(line(cells))
        for code, counts in totals.items():
            summary = ", ".join(f"{count} {state}" for state, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"{code}: {summary}"))

    def write_csv(self, columns, rows, totals):
        writer = csv.DictWriter(self.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    def write_json(self, columns, rows, totals):
        self.stdout.write(
            json.dumps({"articles": list(rows), "totals": totals}, ensure_ascii=False, indent=2)
        )
