"""System checks for settings that only make sense together."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SAMESITE_VALUES = ("Lax", "Strict", "None")


@register(Tags.security)
def check_refresh_cookie(app_configs, **kwargs):
    """The refresh cookie: a known SameSite value, and Secure whenever SameSite=None
    (browsers drop a SameSite=None cookie that is not Secure, which signs everyone out)."""
    errors = []
    samesite = settings.AUTH_REFRESH_COOKIE_SAMESITE
    if samesite not in SAMESITE_VALUES:
        errors.append(
            Error(
                f"AUTH_COOKIE_SAMESITE is {samesite!r}; use one of {', '.join(SAMESITE_VALUES)}.",
                id="practice.E001",
            )
        )
    if samesite == "None" and not settings.AUTH_REFRESH_COOKIE_SECURE:
        errors.append(
            Error(
                "AUTH_COOKIE_SAMESITE=None needs AUTH_COOKIE_SECURE on: browsers reject the refresh cookie otherwise.",
                hint="Set AUTH_COOKIE_SECURE=1 and serve the API over HTTPS.",
                id="practice.E002",
            )
        )
    return errors


@register()
def check_audit_retention(app_configs, **kwargs):
    """Audit entries are kept at least five years (NEN 7513)."""
    if settings.AUDIT_RETENTION_DAYS < settings.AUDIT_RETENTION_MIN_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}; audit entries are kept at least "
                f"{settings.AUDIT_RETENTION_MIN_DAYS} days (five years).",
                id="practice.E003",
            )
        ]
    return []
