from articles import page_contract
from articles.metadata import site_page_metadata
from articles.views import LiveItemDetailView, PreviewMixin
from pages.models import Page


class PageDetailView(LiveItemDetailView):
    model = Page
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def page_metadata(self, page):
        return site_page_metadata(self.request, page)

    def page_tags(self, context):
        return [*super().page_tags(context), page_contract.site_page(self.object.pk)]


class PagePreviewView(PreviewMixin, PageDetailView):
    pass
