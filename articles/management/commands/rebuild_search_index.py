from django.core.management.base import BaseCommand

from articles.models import Article, SearchDocument
from articles.search import refresh_search_index

BATCH = 500


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from every article. Needed only after writes "
        "that bypass Article.save(), such as QuerySet.update() or raw SQL."
    )

    def handle(self, *args, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        SearchDocument.objects.exclude(article_id__in=ids).delete()
        for start in range(0, len(ids), BATCH):
            refresh_search_index(ids[start : start + BATCH])
            if options["verbosity"] > 1:
                self.stdout.write(f"{min(start + BATCH, len(ids))}/{len(ids)}")
        count = SearchDocument.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {len(ids)} articles ({count} language versions).")
        )
