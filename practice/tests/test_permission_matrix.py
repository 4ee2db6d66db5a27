"""Who may do what, for every API route: each route and method, called by each kind of
caller, answers the expected status, and a denied request changes nothing in the database.

The callers (see ``practice/tests/world.py``): nobody signed in, the owner therapist (whose
client, appointments and sessions the paths point at), a colleague therapist of the same
practice, the practice's staff, and a therapist of another practice.

The routes come from the URL configuration: a route or method without a row here fails
``test_every_api_route_and_method_has_a_row``, so a new endpoint cannot ship without saying
who may call it. The admin signs in with Django's session, never with an API token
(``test_an_api_token_does_not_open_the_admin``)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from practice.tests.photo_files import image_bytes
from practice.tests.world import World

CALLERS = ("anonymous", "owner", "colleague", "staff", "outsider")
#: Methods a plain Django view (not DRF) may be called with.
ANY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE")
PASSWORD = "correct-horse-battery"  # the factories' password


@dataclass(frozen=True)
class Row:
    """One route and method, and the status each caller gets. ``path`` names the owner's
    records in braces (``{client}``); ``body`` builds the request body from the world;
    ``setup`` prepares what the request needs (it runs as part of each caller's turn).
    For a list, ``record`` names one of the owner's records and ``seen_by`` the callers
    whose successful answer contains it: everyone else's must not."""

    method: str
    path: str
    anonymous: int
    owner: int
    colleague: int
    staff: int
    outsider: int
    body: Callable[[World], dict[str, Any]] | None = None
    #: A multipart/form-data body (file uploads) instead of a JSON one.
    multipart: Callable[[World], dict[str, Any]] | None = None
    setup: Callable[[World], Any] | None = None
    record: str | None = None
    seen_by: tuple[str, ...] = ()

    def expected(self, caller: str) -> int:
        return getattr(self, caller)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _refresh_token(world: World) -> dict[str, str]:
    return {"refreshToken": str(RefreshToken.for_user(world.owner))}


def _enable_two_factor(world: World) -> dict[str, str]:
    return {"code": "000000", "secret": "JBSWY3DPEHPK3PXP"}


def _wrong_code(world: World) -> dict[str, str]:
    return {"code": "000000"}


def _credentials(world: World) -> dict[str, str]:
    return {"email": world.owner.email, "password": PASSWORD}


def _new_appointment(world: World) -> dict[str, Any]:
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=10)
    return {
        "therapistId": str(world.owner.pk),
        "clientId": str(world.client.pk),
        "startsAt": starts_at.isoformat(),
        "endsAt": (starts_at + timedelta(minutes=50)).isoformat(),
    }


def _booking_form(world: World) -> dict[str, Any]:
    day = timezone.localdate() + timedelta(days=12)
    return {
        "clientId": str(world.client.pk),
        "appointmentDate": day.isoformat(),
        "startTime": "11:00",
        "endTime": "11:50",
    }


def _moved_appointment(world: World) -> dict[str, Any]:
    body = _new_appointment(world)
    return {"startsAt": body["startsAt"], "endsAt": body["endsAt"], "appointmentType": "individual", "mode": "video"}


def _weekly_until(world: World) -> dict[str, Any]:
    return {"pattern": "weekly", "endDate": (timezone.localdate() + timedelta(weeks=4)).isoformat()}


def _new_survey(world: World) -> dict[str, Any]:
    return {
        "title": "Sleep check",
        "type": "screening",
        "questions": [{"id": "q1", "text": "Hours slept?", "type": "scale", "scale": {"min": 0, "max": 12}}],
    }


def _phq9_response(world: World) -> dict[str, Any]:
    answers = [{"questionId": f"phq9_{n}", "value": 1} for n in range(1, 10)]
    return {"clientId": str(world.client.pk), "answers": answers}


def _make_series(world: World) -> None:
    api_for(world, "owner").post(
        f"/api/appointments/{world.upcoming.pk}/recurring", _weekly_until(world), format="json"
    )


def _photo(world: World) -> dict[str, Any]:
    return {"photo": SimpleUploadedFile("me.jpg", image_bytes(), "image/jpeg")}


def _give_owner_a_photo(world: World) -> None:
    world.owner.profile_photo.save("owner.jpg", ContentFile(image_bytes()), save=True)


def _new_note(world: World) -> dict[str, Any]:
    return {
        "client_id": str(world.client.pk),
        "appointment_id": "",
        "session_date": timezone.localdate().isoformat(),
        "key_points": ["Slept better"],
    }


# fmt: off
MATRIX = [
    #   method   path                                            anon owner coll. staff other
    # Public: signing in and out needs credentials, not a caller.
    Row("POST",   "/api/auth/login",                              200, 200, 200, 200, 200, body=_credentials),
    Row("POST",   "/api/auth/refresh-token",                      200, 200, 200, 200, 200, body=_refresh_token),
    Row("POST",   "/api/auth/logout",                             200, 200, 200, 200, 200, body=_refresh_token),
    Row("DELETE", "/api/auth/logout",                             200, 200, 200, 200, 200, body=_refresh_token),
    Row("GET",    "/api/health",                                  200, 200, 200, 200, 200),
    Row("GET",    "/api/schema/",                                 200, 200, 200, 200, 200),
    Row("GET",    "/api/docs/",                                   200, 200, 200, 200, 200),
    Row("GET",    "/api/redoc/",                                  200, 200, 200, 200, 200),
    Row("GET",    "/api/",                                        200, 200, 200, 200, 200),
    # Signed in.
    Row("GET",    "/api/auth/me",                                 401, 200, 200, 200, 200),
    # Two-factor: the therapists have it on (a new setup conflicts, a wrong code is refused);
    # the staff member has none (their practice does not require it).
    Row("POST",   "/api/auth/setup-2fa",                          401, 409, 409, 200, 409),
    Row("POST",   "/api/auth/verify-2fa",                         401, 409, 409, 404, 409, body=_enable_two_factor),
    Row("POST",   "/api/auth/disable-2fa",                        401, 400, 400, 409, 400, body=_wrong_code),
    # Clients: a therapist sees their assigned clients, staff the whole practice.
    Row("GET",    "/api/clients",                                 401, 200, 200, 200, 200,
        record="client", seen_by=("owner", "staff")),
    Row("GET",    "/api/clients/{client}",                        401, 200, 404, 200, 404),
    # The client's access log (NEN 7513): practice staff only.
    Row("GET",    "/api/clients/{client}/access-log",             401, 403, 403, 200, 403),
    # Appointments: a therapist their own, staff the practice's.
    Row("GET",    "/api/appointments",                            401, 200, 200, 200, 200,
        record="upcoming", seen_by=("owner", "staff")),
    # A client or therapist the caller may not book for is a validation error on the body.
    Row("POST",   "/api/appointments",                            401, 201, 400, 201, 400, body=_new_appointment),
    Row("GET",    "/api/appointments/{upcoming}",                 401, 200, 404, 200, 404),
    Row("PUT",    "/api/appointments/{upcoming}",                 401, 200, 404, 200, 404, body=_moved_appointment),
    Row("PATCH",  "/api/appointments/{upcoming}",                 401, 200, 404, 200, 404,
        body=lambda w: {"mode": "video"}),
    Row("POST",   "/api/appointments/{upcoming}/cancel",          401, 200, 404, 200, 404,
        body=lambda w: {"reason": "Ill"}),
    Row("POST",   "/api/appointments/{upcoming}/recurring",       401, 201, 404, 201, 404, body=_weekly_until),
    Row("DELETE", "/api/appointments/{upcoming}/recurring",       401, 200, 404, 200, 404, setup=_make_series),
    Row("POST",   "/api/appointments/{due}/no-show-policy",       401, 201, 404, 201, 404,
        body=lambda w: {"reason": "Did not come", "applyFee": True, "notifyClient": True}),
    # Preparation notes belong to the therapist: to staff they do not exist.
    Row("PUT",    "/api/appointments/{upcoming}/preparation",     401, 200, 404, 404, 404,
        body=lambda w: {"preparationNotes": "Ask about sleep", "reviewPreviousSession": True}),
    # Emergency contacts: the assigned therapist and staff.
    Row("GET",    "/api/clients/{client}/emergency-contact",      401, 200, 404, 200, 404),
    Row("PUT",    "/api/clients/{client}/emergency-contact",      401, 200, 404, 200, 404,
        body=lambda w: {"name": "Sam Doe", "phone": "+31612345678"}),
    # Clinical records: only the assigned therapist; to staff they do not exist.
    Row("GET",    "/api/clients/{client}/medical-history",        401, 200, 404, 404, 404),
    Row("PUT",    "/api/clients/{client}/medical-history",        401, 200, 404, 404, 404,
        body=lambda w: {"allergies": ["Latex"]}),
    Row("GET",    "/api/clients/{client}/therapy-goals",          401, 200, 404, 404, 404),
    Row("POST",   "/api/clients/{client}/therapy-goals",          401, 201, 404, 404, 404,
        body=lambda w: {"goal": "Sleep seven hours"}),
    Row("PATCH",  "/api/clients/{client}/therapy-goals/{goal}",   401, 200, 404, 404, 404,
        body=lambda w: {"progress": 60}),
    Row("GET",    "/api/clients/{client}/session-summary",        401, 200, 404, 404, 404),
    # Sessions: the therapist's own; staff read no clinical notes (their lists are empty).
    Row("GET",    "/api/sessions",                                401, 200, 200, 200, 200,
        record="completed_session", seen_by=("owner",)),
    Row("GET",    "/api/sessions/active",                         401, 200, 200, 200, 200,
        record="active_session", seen_by=("owner",)),
    Row("GET",    "/api/sessions/{completed_session}",            401, 200, 404, 404, 404),
    Row("POST",   "/api/sessions/start",                          401, 201, 404, 404, 404,
        body=lambda w: {"appointmentId": str(w.upcoming.pk), "initialMood": 5}),
    Row("PUT",    "/api/sessions/{active_session}/progress",      401, 200, 404, 404, 404,
        body=lambda w: {"clientMoodCurrent": 6, "progressNotes": "Calmer"}),
    Row("POST",   "/api/sessions/{active_session}/end",           401, 200, 404, 404, 404,
        body=lambda w: {"moodEnd": 7}),
    # Invoicing a completed session: its therapist (staff bill in the admin).
    Row("POST",   "/api/sessions/{completed_session}/generate-invoice", 401, 201, 404, 404, 404,
        body=lambda w: {"sessionType": "therapy", "autoSend": False}),
    # The therapist workspace: therapists only (staff are refused the route), their own records.
    Row("GET",    "/api/therapist/dashboard",                     401, 200, 200, 403, 200),
    Row("GET",    "/api/therapist/clients",                       401, 200, 200, 403, 200,
        record="client", seen_by=("owner",)),
    Row("GET",    "/api/therapist/clients/{client}",              401, 200, 404, 403, 404),
    Row("GET",    "/api/therapist/sessions",                      401, 200, 200, 403, 200,
        record="completed_session", seen_by=("owner",)),
    # A client not assigned to the caller is a validation error on the body.
    Row("POST",   "/api/therapist/appointments",                  401, 201, 400, 403, 400, body=_booking_form),
    # Session notes: the author and the client's assigned therapists; another therapist's client is
    # a validation error on the body.
    Row("GET",    "/api/therapist/session-notes",                 401, 200, 200, 403, 200,
        record="note", seen_by=("owner",)),
    Row("POST",   "/api/therapist/session-notes",                 401, 201, 400, 403, 400, body=_new_note),
    Row("GET",    "/api/therapist/session-notes/{note}",          401, 200, 404, 403, 404),
    Row("PUT",    "/api/therapist/session-notes/{note}",          401, 200, 404, 403, 404,
        body=lambda w: {"progressNotes": "Calmer", "keyPoints": ["Sleep"]}),
    Row("DELETE", "/api/therapist/session-notes/{note}",          401, 200, 404, 403, 404),
    # Availability: each therapist their own.
    Row("GET",    "/api/therapist/availability",                  401, 200, 200, 403, 200),
    Row("POST",   "/api/therapist/availability",                  401, 200, 200, 403, 200,
        body=lambda w: {"regularHours": [{"day": "Monday", "isAvailable": True,
                                          "slots": [{"start": "09:00", "end": "17:00"}]}]}),
    # Surveys: a therapist's own are theirs alone; practice-wide ones (the standard PHQ-9 and
    # GAD-7) every therapist of the practice sees, staff too, but only therapists write, and
    # the standard ones nobody deletes. Clients in a body must be the caller's (else 400).
    Row("GET",    "/api/surveys",                                 401, 200, 200, 200, 200,
        record="survey", seen_by=("owner",)),
    Row("POST",   "/api/surveys",                                 401, 201, 201, 403, 201, body=_new_survey),
    Row("GET",    "/api/surveys/{survey}",                        401, 200, 404, 404, 404),
    Row("GET",    "/api/surveys/{phq9}",                          401, 200, 200, 200, 404),
    Row("DELETE", "/api/surveys/{survey}",                        401, 200, 404, 404, 404),
    Row("DELETE", "/api/surveys/{phq9}",                          401, 403, 403, 403, 404),
    Row("POST",   "/api/surveys/{survey}/assign",                 401, 201, 404, 404, 404,
        body=lambda w: {"clientId": str(w.client.pk)}),
    Row("POST",   "/api/surveys/{phq9}/assign",                   401, 201, 400, 403, 404,
        body=lambda w: {"clientId": str(w.client.pk), "dueDate": str(timezone.localdate() + timedelta(days=7))}),
    # Responses are the client's clinical record: each caller sees their own clients' only.
    Row("GET",    "/api/surveys/{survey}/responses",              401, 200, 404, 404, 404,
        record="survey_response", seen_by=("owner",)),
    Row("GET",    "/api/surveys/{phq9}/responses",                401, 200, 200, 200, 404,
        record="phq9_response", seen_by=("owner",)),
    Row("POST",   "/api/surveys/{survey}/responses",              401, 201, 404, 404, 404,
        body=lambda w: {"clientId": str(w.client.pk), "answers": [
            {"questionId": "mood", "value": 7}, {"questionId": "symptoms", "value": "None"}]}),
    Row("POST",   "/api/surveys/{phq9}/responses",                401, 201, 400, 403, 404, body=_phq9_response),
    Row("GET",    "/api/clients/{client}/outcome-scores",         401, 200, 404, 404, 404),
    # Therapists: a therapist themselves, staff every therapist of the practice.
    Row("GET",    "/api/therapists/{owner}/session-stats",        401, 200, 404, 200, 404),
    Row("GET",    "/api/therapists/{owner}/session-templates",    401, 200, 404, 200, 404),
    # The caller's own profile and photo; a photo is seen by the owner's practice only.
    Row("GET",    "/api/profile",                                 401, 200, 200, 200, 200),
    Row("PUT",    "/api/profile",                                 401, 200, 200, 200, 200,
        body=lambda w: {"firstName": "Sam", "phone": "+31612345678", "preferredLanguage": "en"}),
    Row("POST",   "/api/profile/photo",                           401, 200, 200, 200, 200, multipart=_photo),
    # Only the owner has a photo to delete.
    Row("DELETE", "/api/profile/photo",                           401, 200, 404, 404, 404, setup=_give_owner_a_photo),
    Row("GET",    "/api/profile/photo/{owner}",                   401, 200, 200, 200, 404, setup=_give_owner_a_photo),
    # Staff set and remove a therapist's photo.
    Row("POST",   "/api/admin/therapists/{owner}/photo/upload",   401, 403, 403, 200, 403, multipart=_photo),
    Row("DELETE", "/api/admin/therapists/{owner}/photo",          401, 403, 403, 200, 403,
        setup=_give_owner_a_photo),
    # Challenges and resources: practice-wide ones for the practice, personal ones for their
    # author (the world's are the owner's own); therapists write and assign, to their clients.
    Row("GET",    "/api/challenges",                              401, 200, 200, 200, 200,
        record="challenge", seen_by=("owner",)),
    Row("POST",   "/api/challenges",                              401, 201, 201, 403, 201,
        body=lambda w: {"title": "Breathe", "duration": 14}),
    Row("DELETE", "/api/challenges/{challenge}",                  401, 200, 404, 404, 404),
    Row("POST",   "/api/challenges/{challenge}/assign",           401, 201, 404, 404, 404,
        body=lambda w: {"clientId": str(w.client.pk)}),
    Row("GET",    "/api/resources",                               401, 200, 200, 200, 200,
        record="resource", seen_by=("owner",)),
    Row("POST",   "/api/resources",                               401, 201, 201, 403, 201,
        body=lambda w: {"title": "Sleep hygiene", "contentUrl": "https://example.org/sleep"}),
    Row("PUT",    "/api/resources/{resource}",                    401, 200, 404, 404, 404,
        body=lambda w: {"title": "Sleep hygiene, revised"}),
    Row("DELETE", "/api/resources/{resource}",                    401, 200, 404, 404, 404),
    Row("POST",   "/api/resources/{resource}/assign",             401, 201, 404, 404, 404,
        body=lambda w: {"clientId": str(w.client.pk), "priority": "normal"}),
    # Notifications: each user their own.
    Row("GET",    "/api/notifications",                           401, 200, 200, 200, 200,
        record="notification", seen_by=("owner",)),
    Row("PUT",    "/api/notifications/{notification}/read",       401, 200, 404, 404, 404),
    Row("PUT",    "/api/notifications/mark-all-read",             401, 200, 200, 200, 200),
    Row("DELETE", "/api/notifications/{notification}",            401, 200, 404, 404, 404),
    Row("GET",    "/api/therapist/notifications/counts",          401, 200, 200, 200, 200),
    # Messages: between members of one practice, read by their two participants (the world's
    # is from staff to the owner). Sending to staff: staff themselves get a 400, another
    # practice a 404.
    Row("GET",    "/api/messages",                                401, 200, 200, 200, 200,
        record="message", seen_by=("owner", "staff")),
    Row("POST",   "/api/messages",                                401, 201, 201, 400, 404,
        body=lambda w: {"recipientId": str(w.staff.pk), "content": "Can we swap rooms?"}),
    Row("PUT",    "/api/messages/{message}/read",                 401, 200, 404, 403, 404),
    Row("GET",    "/api/messages/conversations",                  401, 200, 200, 200, 200),
    Row("GET",    "/api/messages/conversation/{owner}",           401, 200, 200, 200, 404,
        record="message", seen_by=("owner", "staff")),
    # Anything else under /api/ is the JSON 404.
    *(Row(method, "/api/no-such-route",                           404, 404, 404, 404, 404) for method in ANY_METHOD),
]
# fmt: on


def path_values(world: World) -> dict[str, Any]:
    return {
        "client": world.client.pk,
        "owner": world.owner.pk,
        "upcoming": world.upcoming.pk,
        "due": world.due.pk,
        "in_progress": world.in_progress.pk,
        "completed": world.completed.pk,
        "active_session": world.active_session.pk,
        "completed_session": world.completed_session.pk,
        "goal": world.goal.pk,
        "note": world.note.pk,
        "survey": world.survey.pk,
        "phq9": world.phq9.pk,
        "survey_response": world.survey_response.pk,
        "phq9_response": world.phq9_response.pk,
        "challenge": world.challenge.pk,
        "resource": world.resource.pk,
        "notification": world.notification.pk,
        "message": world.message.pk,
    }


def api_for(world: World, caller: str) -> APIClient:
    api = APIClient()
    if caller != "anonymous":
        user = {"owner": world.owner, "colleague": world.colleague, "staff": world.staff, "outsider": world.outsider}
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user[caller]).access_token}")
    return api


def database_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the project's models own, including many-to-many tables."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_each_caller_gets_the_expected_status_and_a_denial_changes_nothing(row, world):
    path = row.path.format(**path_values(world))
    wrong = []
    for caller in CALLERS:
        # Each caller starts from the same practice: what one does is rolled back.
        with transaction.atomic():
            if row.setup:
                row.setup(world)
            api = api_for(world, caller)
            before = database_snapshot()
            response = send(api, row, path, world)
            if response.status_code != row.expected(caller):
                wrong.append(f"{caller}: {response.status_code} (expected {row.expected(caller)})")
            elif row.record and response.status_code < 300:
                seen = str(path_values(world)[row.record]) in response.content.decode()
                if seen != (caller in row.seen_by):
                    wrong.append(f"{caller}: {'sees' if seen else 'does not see'} the owner's {row.record}")
            elif response.status_code >= 400:
                assert response.json()["success"] is False
                if changed := _changed_tables(before, database_snapshot()):
                    wrong.append(f"{caller}: denied with {response.status_code} but changed {changed}")
            transaction.set_rollback(True)
    assert not wrong, f"{row}: " + "; ".join(wrong)


def _json(body: dict | None) -> str:
    return json.dumps(body) if body is not None else ""


def send(api: APIClient, row: Row, path: str, world: World):
    """The row's request, with its body as JSON or as multipart/form-data."""
    if row.multipart:
        return api.generic(row.method, path, encode_multipart(BOUNDARY, row.multipart(world)), MULTIPART_CONTENT)
    body = row.body(world) if row.body else None
    return api.generic(row.method, path, data=_json(body), content_type="application/json")


def _join_route(prefix: str, route: str) -> str:
    # As Django builds ResolverMatch.route.
    return prefix + route.removeprefix("^") if prefix else route


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = _join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _methods(callback) -> set[str]:
    actions = getattr(callback, "actions", None)  # a DRF viewset route: {"get": "list", ...}
    view_class = getattr(callback, "view_class", None)
    if actions:
        methods = set(actions)
    elif view_class is not None:
        methods = {method for method in view_class.http_method_names if hasattr(view_class, method)}
    else:
        return set(ANY_METHOD)
    return {method.upper() for method in methods - {"head", "options"}}


def api_routes_and_methods() -> set[tuple[str, str]]:
    """(route, method) for every route under /api/ in the URL configuration; HEAD and
    OPTIONS follow GET and the CORS preflight, and are left out."""
    return {
        (route, method)
        for route, callback in _routes(get_resolver().url_patterns)
        if route.startswith(("api/", "^api/"))
        for method in _methods(callback)
    }


def test_every_api_route_and_method_has_a_row(world):
    values = path_values(world)
    covered = {(resolve(row.path.format(**values)).route, row.method) for row in MATRIX}
    routes = api_routes_and_methods()
    missing = sorted(routes - covered)
    assert not missing, f"routes without a row in the permission matrix: {missing}"
    stale = sorted(covered - routes)
    assert not stale, f"rows for routes or methods that do not exist: {stale}"


@pytest.mark.parametrize("caller", CALLERS[1:])
def test_an_api_token_does_not_open_the_admin(caller, world):
    response = api_for(world, caller).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
