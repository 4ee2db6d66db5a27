from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Read-only statistics computed in the database; owns no models and no writes."""

    name = "analytics"
    verbose_name = "Analytics"
