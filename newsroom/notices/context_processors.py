from django.utils.functional import SimpleLazyObject

from newsroom.notices.shown import shown_notice


def site_notice(request):
    """The notice readers see now, or None; looked up only by pages that show it.

    Kept on the request with the moment it was read, so that the page cache can tell how
    old the page's data is and when the notice ends.
    """

    def notice():
        shown, read_at = shown_notice()
        request.page_data_read_at = read_at
        return shown

    request.site_notice = SimpleLazyObject(notice)
    return {"site_notice": request.site_notice}
