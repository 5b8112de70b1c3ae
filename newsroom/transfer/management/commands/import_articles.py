import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import language_codes
from newsroom.transfer.importer import run_import
from newsroom.transfer.jsonfile import JsonSource
from newsroom.transfer.wordpress import WxrSource


def sections_option(value):
    """ "3" -> 3; "world,economy" -> ["world", "economy"]."""
    if value.strip().isdigit():
        return int(value)
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise ValueError(value)
    return names


def sniff_format(path):
    """ "wxr" for XML, "json" otherwise (by the first significant byte)."""
    with open(path, "rb") as handle:
        start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "wxr" if start.startswith(b"<") else "json"


class Command(BaseCommand):
    help = (
        "Import authors, sections, topics and articles from Newsroom's JSON format or a "
        "WordPress export (WXR). The whole file is checked first; a file with any error "
        "imports nothing. Importing the same file again updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format", choices=["json", "wxr"], help="Default: guessed from the file."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report what would be created, updated and skipped; write nothing.",
        )
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="Folder the file's image paths are relative to (WordPress: wp-content/uploads).",
        )
        parser.add_argument(
            "--language",
            choices=language_codes(),
            default=settings.LANGUAGE_CODE,
            help="WordPress: the language of posts that Polylang or WPML did not mark.",
        )
        parser.add_argument(
            "--default-section",
            default="Uncategorized",
            help="WordPress: the section of posts without one, a category of the file (by "
            "name or slug) or a new section of that name. Default: Uncategorized.",
        )
        parser.add_argument(
            "--sections",
            type=sections_option,
            help="WordPress: the categories that become sections, as slugs separated by "
            "commas, or a number N for the N with the most posts; every other category "
            "becomes a topic. Default: the top-level categories.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Write every item again, even one changed or deleted on this site since "
            "the last import (each is named). By default those are kept as they are here.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Treat every warning (a fallback, something left out) as an error.",
        )

    def handle(self, *args, **options):
        path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: not a file")
        with open(path, "rb") as handle:
            if not handle.read(4096).strip(b"\xef\xbb\xbf \t\r\n"):
                self.stderr.write(self.style.ERROR("error: file: the file is empty"))
                raise CommandError(f"{path} is empty: nothing was imported.")
        kind = options["format"] or sniff_format(path)
        source = (
            WxrSource(
                path,
                media_dir=options["media_dir"],
                language=options["language"],
                default_section=options["default_section"],
                sections=options["sections"],
            )
            if kind == "wxr"
            else JsonSource(path)
        )
        report = run_import(
            source,
            media_dir=options["media_dir"],
            dry_run=options["dry_run"],
            strict=options["strict"],
            overwrite=options["overwrite"],
            progress=self.progress,
        )
        for problem in report.warnings:
            self.stderr.write(f"warning: {problem}")
        if report.errors:
            for problem in report.errors:
                self.stderr.write(self.style.ERROR(f"error: {problem}"))
            raise CommandError(f"{len(report.errors)} error(s) in {path}: nothing was imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written. The import would give:")
        for problem in report.overwritten:
            self.stdout.write(f"overwritten: {problem}")
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")
        verb = "Checked" if options["dry_run"] else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.records} items from {path}."))

    @staticmethod
    def progress(iterable, total, description):
        # Shown only on a terminal, so logs and tests stay clean.
        return tqdm(
            iterable, total=total, desc=description, unit=" items", file=sys.stderr, disable=None
        )
