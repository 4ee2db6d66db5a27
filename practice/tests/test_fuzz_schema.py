"""Schema-driven fuzzing: every operation of the API's own OpenAPI schema, called in-process
through the WSGI application as the owner therapist of a small practice, with every
schemathesis check on (no server error, status code documented, response and headers
conforming to the schema, invalid data rejected, valid data accepted, auth not ignored).

Path ids are aimed at the owner's real records, so requests reach validation and business
rules instead of stopping at a 404. Each generated request runs in a savepoint that is
rolled back, with an empty cache, so every example sees the same practice.

A second, stateful phase chains operations along the links schemathesis infers from the
schema (create an appointment, then read, change and cancel it; create a goal, then patch
it), as the owner, with the same checks.

The run in the normal suite is derandomized and sized to find what an outside run with 100
examples per operation found (``FUZZ_MAX_EXAMPLES``, ``FUZZ_STATEFUL_EXAMPLES``); ``make
fuzz`` runs a longer one (and ``FUZZ_SEED`` another seed)."""

import json
import os
import uuid
from datetime import timedelta

import jsonschema
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.openapi.checks import RejectedPositiveData

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "20"))
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "10"))
STATEFUL_STEPS = int(os.environ.get("FUZZ_STATEFUL_STEPS", "6"))
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

# Rules a JSON schema cannot state: one field against another, or against the calendar, the
# database or outside data (a numbering plan, an image's content, an authenticator's clock).
# What a schema can state it does (formats, ranges, patterns: dates 1900-2999, HH:MM[:SS]
# times, two-decimal money, at least one field in a partial update). On these operations, and
# only these, a schema-valid request may be answered with a 400; anywhere else schema-valid
# input must be accepted.
RULES_BEYOND_THE_SCHEMA = {
    "GET /api/appointments": "startDate not after endDate",
    "POST /api/appointments": "endsAt after startsAt, at most 12 hours later, within ten years of today; "
    "a wall time without offset exists in the practice's time zone",
    "PUT /api/appointments/{id}": "endsAt after startsAt, at most 12 hours later, within ten years of today; "
    "a wall time without offset exists in the practice's time zone",
    "PATCH /api/appointments/{id}": "endsAt after startsAt, at most 12 hours later, within ten years of today; "
    "a wall time without offset exists in the practice's time zone",
    "POST /api/appointments/{id}/recurring": "endDate after the first occurrence, exceptions match occurrences",
    "POST /api/appointments/{id}/no-show-policy": "the fee is at most the practice's policy maximum",
    "PUT /api/clients/{client_id}/emergency-contact": "phone numbers exist in the numbering plan",
    "PUT /api/profile": "phone numbers exist in the numbering plan; staff have no professional profile",
    "POST /api/profile/photo": "the file is a JPEG, PNG or WebP image of at most 40 megapixels",
    "POST /api/admin/therapists/{therapist_id}/photo/upload": "the file is a JPEG, PNG or WebP image",
    "POST /api/clients/{client_id}/therapy-goals": "a new goal's target date is not before today",
    "GET /api/sessions": "startDate not after endDate",
    "POST /api/therapist/appointments": "endTime after startTime, a wall-clock time that exists that day",
    "GET /api/therapist/sessions": "startDate not after endDate",
    "POST /api/sessions/start": "goals and concerns sent as one text: at most 50 lines of at most 200 characters",
    "POST /api/sessions/{id}/generate-invoice": "appointmentId and clientId, when sent, are the session's own",
    "POST /api/therapist/availability": "slots end after they start and do not overlap; one entry per weekday "
    "and per exception date; a vacation does not end before it starts",
    "POST /api/therapist/session-notes": "client, session and appointment are yours and of one client; "
    "names of requests for help are 1-200 characters without NUL",
    "PUT /api/therapist/session-notes/{id}": "the client cannot change; session and appointment are yours and "
    "of the note's client; names of requests for help are 1-200 characters without NUL",
    "POST /api/surveys": "options and scales per question type, question ids unique",
    "POST /api/surveys/{id}/assign": "the clients are yours, the due date is not before today, recurring names "
    "a pattern",
    "POST /api/surveys/{id}/responses": "the client is yours, the answers fit the survey's questions",
    "GET /api/therapists/{id}/session-stats": "startDate not after endDate, a window of at most five years",
    "POST /api/auth/verify-2fa": "the code is the authenticator's current one; secret unless X-Temp-Token",
    "POST /api/auth/disable-2fa": "the code is the authenticator's current one",
    "POST /api/challenges/{id}/assign": "clientId is one of your clients, startDate not before today",
    "POST /api/resources": "contentUrl is a well-formed web address (host name rules)",
    "PUT /api/resources/{id}": "contentUrl is a well-formed web address (host name rules)",
    "POST /api/resources/{id}/assign": "clientId is one of your clients, dueDate not before today",
    "POST /api/messages": "recipientId is not yourself; a reply is to a message between the two of you",
}
# The error codes such a rule answers with besides ``validation_error``. A refused photo
# says why with a code of its own (practice.errors.PhotoError).
PHOTO_CODES = {"unsupported_image_type", "image_too_many_pixels", "image_unreadable"}
RULE_CODES = {
    "POST /api/auth/verify-2fa": {"invalid_two_factor_code", "two_factor_secret_mismatch"},
    "POST /api/auth/disable-2fa": {"invalid_two_factor_code"},
    # Overlapping slots of one day are refused with their own code (scheduling.errors).
    "POST /api/therapist/availability": {"availability_overlap"},
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


def test_stateful_workflows_hold_to_the_schema(world, wsgi_in_test_transaction):
    machine = schema.as_state_machine()

    class Workflow(machine):
        def setup(self):
            cache.clear()
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def before_call(self, case):
            _aim_at_real_records(case, world)
            _sign_in(case, world)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


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


def _edge_cases(world) -> list:
    """Responses random generation seldom reaches, each checked like the fuzzed ones: a new
    recurring series (``localStartTime`` is ``HH:MM``), an emergency contact without an
    email (written as ""), a list of appointments with session figures."""
    contact = world.client.emergency_contact
    contact.email = ""
    contact.save()
    until = (timezone.localdate() + timedelta(weeks=4)).isoformat()
    return [
        (
            "POST",
            "/api/appointments/{id}/recurring",
            {"id": str(world.upcoming.pk)},
            {"pattern": "weekly", "endDate": until},
        ),
        ("GET", "/api/clients/{client_id}/emergency-contact", {"client_id": str(world.client.pk)}, None),
        ("GET", "/api/appointments", {}, None),
        ("GET", "/api/clients/{client_id}/therapy-goals", {"client_id": str(world.client.pk)}, None),
    ]


def test_responses_random_generation_seldom_reaches_hold_to_the_schema(world, wsgi_in_test_transaction):
    token = f"Bearer {RefreshToken.for_user(world.owner).access_token}"
    for method, path, path_parameters, body in _edge_cases(world):
        operation = schema[path][method]
        kwargs = {"body": body} if body is not None else {}
        case = operation.Case(path_parameters=path_parameters, headers={"Authorization": token}, **kwargs)
        with transaction.atomic():
            response = case.call_and_validate()
            assert response.status_code < 300, (method, path, response.content[:300])
            transaction.set_rollback(True)


def test_the_schema_states_what_a_schema_can():
    document = _openapi_document()
    components = document["components"]["schemas"]
    # A partial update must name a field.
    for name in ("PatchedTherapyGoalUpdateRequest", "SessionProgressInputRequest"):
        component = components.get(name) or components[name.removeprefix("Patched")]
        assert component["minProperties"] == 1, name
    # Money has two decimals; dates are 1900-2999; times of day HH:MM[:SS].
    fee = components["NoShowApplyInputRequest"]["properties"]["feeAmount"]
    assert fee["multipleOf"] == 0.01
    date = components["RecurringSeriesInputRequest"]["properties"]["endDate"]
    assert not jsonschema.Draft7Validator({"pattern": date["pattern"]}).is_valid("1899-12-31")
    assert jsonschema.Draft7Validator({"pattern": date["pattern"]}).is_valid("2027-01-01")
    time_of_day = components["RecurringSeries"]["properties"]["localStartTime"]
    assert jsonschema.Draft7Validator(time_of_day).is_valid("09:00")
