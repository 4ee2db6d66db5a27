from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Read-only statistics computed in the database; owns no models and no writes."""

    name = "analytics"
    verbose_name = _("Analytics")
