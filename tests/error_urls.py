"""The site's URLs plus two test-only pages: one that fails, one cacheable page with a
nonce'd script."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from newsroom.pagecache.tags import tag_page
from newsroom.urls import handler404, handler500, urlpatterns

INLINE_SCRIPT = '<script nonce="{{ CSP_NONCE }}">document.body.dataset.ran = "yes";</script>'


def failing_view(request):
    raise RuntimeError("secret internals: /srv/newsroom/settings.py line 42")


def inline_script_view(request):
    tag_page(request, {"test:inline-script"})
    template = engines["django"].from_string(INLINE_SCRIPT)
    return HttpResponse(template.render(request=request))


urlpatterns = [
    *urlpatterns,
    path("inline-script/", inline_script_view),
    *i18n_patterns(path("failing/", failing_view)),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
