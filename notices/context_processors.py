from django.utils.functional import SimpleLazyObject

from notices.models import SiteNotice


def site_notice(request):
    """The notice readers see now, or None; queried only by pages that show it.

    Kept on the request too, so that the page cache can tell when it ends.
    """
    request.site_notice = SimpleLazyObject(lambda: SiteNotice.objects.current().first())
    return {"site_notice": request.site_notice}
