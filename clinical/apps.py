from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    name = "clinical"
    verbose_name = "Clinical"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the new-practice receiver)
