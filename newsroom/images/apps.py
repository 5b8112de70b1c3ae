from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "newsroom.images"
    label = "images"
    verbose_name = _("Images")

    def ready(self):
        from PIL import Image

        # Every Image.open in the process refuses what no upload may be: a safety net
        # under the explicit check in `newsroom.images.uploads`.
        Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS
