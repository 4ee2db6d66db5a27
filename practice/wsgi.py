"""WSGI entry point (gunicorn practice.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.base")

application = get_wsgi_application()
