"""The site's settings without the admin: nothing may depend on its autodiscovery."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django.contrib.admin"]
