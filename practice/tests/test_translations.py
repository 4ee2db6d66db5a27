"""The Dutch catalogue is complete and compiled, and Dutch users really read Dutch."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from practice import errors as practice_errors
from practice.api.exceptions import api_exception_handler
from practice.errors import ConflictError, NotFoundError, ValidationFailed

PO = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_has_a_dutch_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert len(catalogue) > 300
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what compilemessages makes of the .po (run it after editing)."""

    def messages(catalogue):
        return {
            (entry.msgid, entry.msgid_plural): entry.msgstr_plural if entry.msgid_plural else entry.msgstr
            for entry in catalogue
            if not entry.obsolete and entry.msgid
        }

    compiled = messages(polib.mofile(str(MO)))
    source = messages(polib.pofile(str(PO)))
    # polib reads plural forms from a .mo with their index as an int, from a .po as an int too.
    assert compiled == source


# Raised in Dutch, each of these reads differently from English: nothing falls back.
DOMAIN_ERRORS = [
    lambda: practice_errors.DomainError(),
    lambda: practice_errors.ValidationFailed(),
    lambda: practice_errors.NotFoundError(),
    lambda: practice_errors.PermissionDeniedError(),
    lambda: practice_errors.ConflictError(),
    lambda: practice_errors.AuthenticationError(),
    lambda: practice_errors.PayloadTooLargeError(),
    lambda: practice_errors.AccountLockedError(),
]


@pytest.mark.parametrize("make", DOMAIN_ERRORS)
def test_default_messages_are_dutch_under_nl(make):
    with translation.override("en"):
        english = make().message
    with translation.override("nl"):
        dutch = make().message
    assert dutch and dutch != english


@pytest.mark.parametrize(
    "exc",
    [
        lambda: ValidationFailed.for_field("fee_amount", translation.gettext("A reason is required.")),
        lambda: NotFoundError(message=translation.gettext("Client not found.")),
        lambda: ConflictError(message=translation.gettext("This survey is archived.")),
    ],
)
def test_the_error_envelope_is_dutch_under_nl(exc):
    def render(language):
        with translation.override(language):
            return api_exception_handler(exc(), {"view": None}).data

    english, dutch = render("en"), render("nl")
    assert dutch["message"] != english["message"]
    assert [e["message"] for e in dutch["errors"]] != [e["message"] for e in english["errors"]] or not dutch["errors"]
