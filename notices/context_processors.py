from django.utils.functional import SimpleLazyObject

from notices.models import SiteNotice


def site_notice(request):
    """The notice readers see now, or None; queried only by pages that show it."""
    return {"site_notice": SimpleLazyObject(lambda: SiteNotice.objects.current().first())}
