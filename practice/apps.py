from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = _("Practice")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models import Field, ForeignObject

        from . import checks  # noqa: F401  (registers the system checks)
        from .db.lookups import AnyOf

        # Relations keep lookups of their own, apart from other fields'.
        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)
