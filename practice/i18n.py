"""Which language a request, a user or a client is answered in.

A signed-in user's ``preferred_language``, else the request's ``Accept-Language`` (when it
names a language the product speaks), else the practice's ``default_language``. Anonymous
requests get Django's ``LocaleMiddleware`` choice: ``Accept-Language``, else ``LANGUAGE_CODE``.
Responses say which in ``Content-Language`` (set by ``LocaleMiddleware``)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from practice.models import Client, Language, Practice, User

SUPPORTED = frozenset(code for code, _label in settings.LANGUAGES)


def accepted_language(header: str | None) -> str | None:
    """The first language of an ``Accept-Language`` header that the product speaks."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            continue
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if language in SUPPORTED:
            return language
    return None


def practice_language(practice: Practice | None) -> str:
    return (practice.default_language if practice else None) or settings.LANGUAGE_CODE


def user_language(user: User, accept_language: str | None = None) -> str:
    """The language ``user`` is answered in (the user's practice is loaded with the user)."""
    if user.preferred_language in SUPPORTED:
        return user.preferred_language
    return accepted_language(accept_language) or practice_language(user.practice if user.practice_id else None)


def client_language(client: Client, practice: Practice | None = None) -> str:
    """The language of a client's emails: the client's own, else the practice's default."""
    if client.preferred_language in SUPPORTED:
        return client.preferred_language
    return practice_language(practice or client.practice)


def activate_for_user(request, user: User) -> str:
    """Answer the rest of ``request`` in ``user``'s language; returns it."""
    language = user_language(user, request.META.get("HTTP_ACCEPT_LANGUAGE"))
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


__all__ = [
    "Language",
    "accepted_language",
    "activate_for_user",
    "client_language",
    "practice_language",
    "user_language",
]
