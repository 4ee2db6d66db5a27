"""Schema-driven fuzzing: every operation of the API's own OpenAPI schema, called in-process
through the WSGI application as the owner therapist of a small practice, with every
schemathesis check on (no server error, status code documented, response and headers
conforming to the schema, invalid data rejected, valid data accepted, auth not ignored).

Path ids are aimed at the owner's real records, so requests reach validation and business
rules instead of stopping at a 404. Each generated request runs in a savepoint that is
rolled back, with an empty cache, so every example sees the same practice.

The run in the normal suite is small and derandomized; ``make fuzz`` runs a longer one
(``FUZZ_MAX_EXAMPLES``, ``FUZZ_SEED``)."""

import json
import os
import uuid

import jsonschema
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.openapi.checks import RejectedPositiveData

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "6"))
SEED = int(os.environ.get("FUZZ_SEED", "8"))


def _openapi_document() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


schema = schemathesis.openapi.from_dict(
    _openapi_document(),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # Unknown query parameters (the frontend's `_t` cache-buster) are ignored by
                # design (SPEC §1), so sending one is not invalid input.
                "allow-extra-parameters": False,
            },
            "checks": {"enabled": True},
        }
    ),
)
schema.app = WSGIHandler()

# Rules a JSON schema cannot state: one field against another, against the calendar or the
# database. On these operations, and only these, a schema-valid request may be answered with
# a 400 validation_error; anywhere else schema-valid input must be accepted.
RULES_BEYOND_THE_SCHEMA = {
    "GET /api/appointments": "dates between 1900 and 2999, startDate not after endDate",
    "POST /api/appointments": "endsAt after startsAt, at most 12 hours later, within ten years",
    "PUT /api/appointments/{id}": "endsAt after startsAt, at most 12 hours later, within ten years",
    "PATCH /api/appointments/{id}": "endsAt after startsAt, at most 12 hours later, within ten years",
    "POST /api/appointments/{id}/recurring": "endDate after the first occurrence, exceptions match occurrences",
    "POST /api/appointments/{id}/no-show-policy": "the fee is in cents and at most the policy's maximum",
    "PUT /api/clients/{client_id}/emergency-contact": "phone numbers are numbers that exist",
    "PUT /api/profile": "phone numbers are numbers that exist; staff have no professional profile",
    "POST /api/profile/photo": "the file is a JPEG, PNG or WebP image of at most 40 megapixels",
    "POST /api/admin/therapists/{therapist_id}/photo/upload": "the file is a JPEG, PNG or WebP image",
    "POST /api/clients/{client_id}/therapy-goals": "a new goal's target date is not in the past",
    "PATCH /api/clients/{client_id}/therapy-goals/{id}": "at least one field",
    "GET /api/sessions": "dates between 1900 and 2999, startDate not after endDate",
    "POST /api/therapist/appointments": "endTime after startTime, a wall-clock time that exists that day",
    "GET /api/therapist/sessions": "dates between 1900 and 2999, startDate not after endDate",
    "PUT /api/sessions/{id}/progress": "at least one field",
    "POST /api/sessions/start": "goals and concerns sent as one text: at most 50 lines of at most 200 characters",
    "POST /api/sessions/{id}/generate-invoice": "appointmentId and clientId, when sent, are the session's own",
    "POST /api/therapist/availability": "slots end after they start and do not overlap; one entry per weekday "
    "and per exception date; a vacation does not end before it starts",
    "POST /api/therapist/session-notes": "client, session and appointment are yours and of one client; "
    "names of requests for help are 1-200 characters without NUL",
    "PUT /api/therapist/session-notes/{id}": "the client cannot change; session and appointment are yours and "
    "of the note's client; names of requests for help are 1-200 characters without NUL",
    "POST /api/surveys": "options and scales per question type, question ids unique",
    "POST /api/surveys/{id}/assign": "the clients are yours, the due date is not past, recurring names a pattern",
    "POST /api/surveys/{id}/responses": "the client is yours, the answers fit the survey's questions",
    "GET /api/therapists/{id}/session-stats": "dates between 1900 and 2999, startDate not after endDate",
    "POST /api/auth/verify-2fa": "the code is the authenticator's current one; secret unless X-Temp-Token",
    "POST /api/auth/disable-2fa": "the code is the authenticator's current one",
    "POST /api/challenges/{id}/assign": "clientId is one of your clients, startDate not in the past",
    "POST /api/resources": "contentUrl is a well-formed web address (host name rules)",
    "PUT /api/resources/{id}": "contentUrl is a well-formed web address (host name rules)",
    "POST /api/resources/{id}/assign": "clientId is one of your clients, dueDate not in the past",
    "POST /api/messages": "recipientId is not yourself; a reply is to a message between the two of you",
}
# The error codes such a rule answers with besides ``validation_error``. A refused photo
# says why with a code of its own (practice.errors.PhotoError).
PHOTO_CODES = {"unsupported_image_type", "image_too_many_pixels", "image_unreadable"}
RULE_CODES = {
    "POST /api/auth/verify-2fa": {"invalid_two_factor_code", "two_factor_secret_mismatch"},
    "POST /api/auth/disable-2fa": {"invalid_two_factor_code"},
    "POST /api/profile/photo": PHOTO_CODES,
    "POST /api/admin/therapists/{therapist_id}/photo/upload": PHOTO_CODES,
}


@schema.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure except a schema-valid request refused by a rule listed above."""
    if not isinstance(failure, RejectedPositiveData) or case.operation.label not in RULES_BEYOND_THE_SCHEMA:
        return True
    codes = {"validation_error", *RULE_CODES.get(case.operation.label, ())}
    return not (response.status_code == 400 and response.json().get("code") in codes)


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Let the WSGI handler run inside the test's transaction: like Django's test client,
    do not close the database connection at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _aim_at_real_records(case, world) -> None:
    """Point uuid path parameters at the owner's records of the kind the preceding path
    segment names; about one value in (n + 1) stays a random, non-existent id. Path
    parameters generated to be invalid are left alone."""
    component = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if not case.path_parameters or (component and component.mode is GenerationMode.NEGATIVE):
        return
    ids = world.path_ids()
    segments = case.operation.path.strip("/").split("/")
    for name, value in case.path_parameters.items():
        position = segments.index(f"{{{name}}}")
        candidates = ids.get(segments[position - 1]) or [pk for group in ids.values() for pk in group]
        try:
            pick = uuid.UUID(str(value)).int % (len(candidates) + 1)
        except ValueError:
            continue
        if pick < len(candidates):
            case.path_parameters[name] = candidates[pick]


def _sign_in(case, world) -> None:
    """Send the owner's access token, unless the case is about a missing or broken one."""
    component = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if component and component.mode is GenerationMode.NEGATIVE:
        return
    case.headers = {
        **(case.headers or {}),
        "Authorization": f"Bearer {RefreshToken.for_user(world.owner).access_token}",
    }


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_holds_to_the_schema(case, world, wsgi_in_test_transaction):
    _aim_at_real_records(case, world)
    _sign_in(case, world)
    cache.clear()  # login failure and throttle counts: each example starts from zero
    with transaction.atomic():
        case.call_and_validate()
        transaction.set_rollback(True)


def test_rules_beyond_the_schema_name_real_operations():
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert set(RULES_BEYOND_THE_SCHEMA) <= labels


def test_text_that_may_be_blank_accepts_the_empty_string_in_the_schema():
    # drf-spectacular offers "" as its own oneOf branch; were the text branch to match "" too,
    # the schema would reject an empty note that the API accepts.
    document = _openapi_document()
    blank_allowed = [
        (name, field, definition)
        for name, component in document["components"]["schemas"].items()
        if name.endswith("Request")
        for field, definition in component.get("properties", {}).items()
        if {"type": "string", "maxLength": 0} in definition.get("oneOf", [])
    ]
    assert blank_allowed
    for name, field, definition in blank_allowed:
        validator = jsonschema.Draft7Validator(definition, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        assert validator.is_valid(""), f"{name}.{field}"
