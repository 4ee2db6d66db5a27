from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.tests.factories import SessionFactory
from practice.tests.factories import ClientFactory, EmergencyContactFactory
from practice.tests.queries import data_statements
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture(autouse=True)
def frozen():
    # Before any API client is made: its token is issued at the frozen time.
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def appointment(therapist, client_record, frozen):
    return AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, minutes=50),
    )


def _booking(client, starts_at: datetime, minutes: int = 50, **extra) -> dict:
    return {
        "clientId": str(client.pk),
        "startsAt": _iso(starts_at),
        "endsAt": _iso(starts_at + timedelta(minutes=minutes)),
        "appointmentType": "individual",
        **extra,
    }


# --- List -----------------------------------------------------------------------------------


def test_list_item_carries_the_client_details(api, therapist, client_record, appointment):
    contact = EmergencyContactFactory(client=client_record, name="Pat Doe", relationship="partner")
    SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC),  # 3 March, 00:30 in Amsterdam
    )
    SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 2, 20, 9, 0, tzinfo=UTC),
    )
    response = api.get("/api/appointments")
    assert response.status_code == 200
    body = response.json()
    item = next(a for a in body["data"] if a["id"] == str(appointment.pk))
    assert item["therapist_id"] == str(therapist.pk)
    assert item["status"] == "scheduled"
    assert item["starts_at"] == "2026-03-11T08:00:00Z"
    assert item["duration_minutes"] == 50
    assert item["session_id"] is None
    assert item["client"] == {
        "id": str(client_record.pk),
        "first_name": client_record.first_name,
        "last_name": client_record.last_name,
        "full_name": client_record.full_name,
        "email": client_record.email,
        "phone": str(client_record.phone),
        "date_of_birth": None,
        "status": "active",
        "profile_photo_url": client_record.profile_photo_url,
        "total_sessions": 2,
        "last_session_date": "2026-03-03",
        "emergency_contact": {
            "name": "Pat Doe",
            "relationship": "partner",
            "phone": str(contact.phone),
            "alternate_phone": "",
            "email": contact.email,
        },
    }
    assert item["preparation"] == {
        "preparation_notes": "",
        "review_previous_session": False,
        "focus_areas": [],
        "prepared_at": None,
    }


def test_client_without_sessions_or_contact(api, appointment):
    item = api.get("/api/appointments").json()["data"][0]
    assert item["client"]["total_sessions"] == 0
    assert item["client"]["last_session_date"] is None
    assert item["client"]["emergency_contact"] is None


def test_therapist_sees_only_their_own_appointments(api, therapist, other_therapist, practice, appointment):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    AppointmentFactory(therapist=other_therapist, client=shared)
    body = api.get("/api/appointments").json()
    assert [a["id"] for a in body["data"]] == [str(appointment.pk)]


def test_staff_see_the_whole_practice_but_not_preparation(
    staff_api, other_therapist, practice, appointment, other_practice_therapist
):
    AppointmentFactory(therapist=other_therapist, client=ClientFactory(practice=practice))
    AppointmentFactory(therapist=other_practice_therapist)
    body = staff_api.get("/api/appointments").json()
    assert body["pagination"]["total"] == 2
    assert all(a["preparation"] is None for a in body["data"])


def test_filters(api, therapist, client_record, practice, frozen):
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    # Amsterdam is UTC+1 in March: 23:30 UTC on the 11th is already the 12th locally.
    late = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=datetime(2026, 3, 11, 23, 30, tzinfo=UTC)
    )
    morning = AppointmentFactory(
        therapist=therapist,
        client=other_client,
        starts_at=datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
        status="confirmed",
    )

    def ids(query: str) -> list[str]:
        response = api.get(f"/api/appointments?{query}&_t=123")
        assert response.status_code == 200, response.json()
        return [a["id"] for a in response.json()["data"]]

    assert ids("startDate=2026-03-11&endDate=2026-03-11") == [str(morning.pk)]
    assert ids("startDate=2026-03-12") == [str(late.pk)]
    assert ids("endDate=2026-03-12") == [str(morning.pk), str(late.pk)]
    assert ids("status=confirmed") == [str(morning.pk)]
    assert ids(f"clientId={client_record.pk}") == [str(late.pk)]
    assert ids(f"therapistId={therapist.pk}") == [str(morning.pk), str(late.pk)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("startDate=2026-02-30", "startDate"),
        ("endDate=yesterday", "endDate"),
        ("startDate=2026-03-12&endDate=2026-03-11", "endDate"),
        ("startDate=0001-01-01", "startDate"),
        ("endDate=9999-12-31", "endDate"),
        ("therapistId=not-a-uuid", "therapistId"),
        ("clientId=123", "clientId"),
    ],
)
def test_bad_filters_are_400(api, query, field):
    response = api.get(f"/api/appointments?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == [field]


def test_list_query_count_is_constant(api, therapist, practice):
    def book(count: int, offset: int) -> None:
        for index in range(count):
            client = ClientFactory(practice=practice, therapists=[therapist])
            EmergencyContactFactory(client=client)
            appointment = AppointmentFactory(
                therapist=therapist,
                client=client,
                starts_at=datetime(2030, 1, 1, tzinfo=UTC) + timedelta(hours=offset + index),
            )
            SessionFactory(
                appointment__therapist=therapist,
                appointment__client=client,
                appointment__starts_at=appointment.starts_at - timedelta(days=30),
            )

    book(5, 0)
    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/api/appointments?limit=5&startDate=2030-01-01").json()["data"]) == 5
    book(95, 5)
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/api/appointments?limit=100&startDate=2030-01-01").json()["data"]) == 100
    assert len(small) == len(large)
    with CaptureQueriesContext(connection) as again:
        api.get("/api/appointments?limit=100")
    assert len(data_statements(again)) <= 5


# --- Detail and permissions ------------------------------------------------------------------


def test_detail(api, appointment):
    response = api.get(f"/api/appointments/{appointment.pk}")
    assert response.status_code == 200
    assert response.json()["data"]["client"]["id"] == str(appointment.client_id)


def test_other_therapist_and_other_practice_get_404(other_therapist_api, other_practice_api, appointment):
    for caller in (other_therapist_api, other_practice_api):
        url = f"/api/appointments/{appointment.pk}"
        assert caller.get(url).status_code == 404
        assert caller.patch(url, {"notes": "x"}, format="json").status_code == 404
        assert caller.post(f"{url}/cancel", {"reason": "x"}, format="json").status_code == 404
        assert caller.put(f"{url}/preparation", {"preparationNotes": "x"}, format="json").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
    assert appointment.notes == ""
    assert appointment.preparation_notes == ""


def test_anonymous_gets_401(anon_api, appointment):
    assert anon_api.get("/api/appointments").status_code == 401
    assert anon_api.post("/api/appointments", {}, format="json").status_code == 401


# --- Create ---------------------------------------------------------------------------------


def test_therapist_books_for_themselves(api, therapist, client_record, frozen):
    starts_at = NOW + timedelta(days=2)
    response = api.post(
        "/api/appointments",
        _booking(client_record, starts_at, mode="video", location="Zoom", notes="Bring forms"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    appointment = Appointment.objects.get(pk=data["id"])
    assert appointment.therapist == therapist
    assert appointment.practice_id == therapist.practice_id
    assert data["status"] == "scheduled"
    assert data["mode"] == "video"
    assert data["starts_at"] == _iso(starts_at)
    assert data["ends_at"] == _iso(starts_at + timedelta(minutes=50))
    assert data["client"]["id"] == str(client_record.pk)


def test_staff_book_for_a_therapist(staff_api, other_therapist, practice, frozen):
    client = ClientFactory(practice=practice, therapists=[other_therapist])
    response = staff_api.post(
        "/api/appointments",
        _booking(client, NOW + timedelta(days=1), therapistId=str(other_therapist.pk)),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"]["therapist_id"] == str(other_therapist.pk)


def test_staff_must_name_the_therapist(staff_api, client_record, frozen):
    response = staff_api.post("/api/appointments", _booking(client_record, NOW + timedelta(days=1)), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "therapistId"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"startsAt": "2026-02-30T10:00:00Z"}, "startsAt"),
        ({"startsAt": 12}, "startsAt"),
        ({"endsAt": "2026-03-11T07:00:00Z"}, "endsAt"),
        ({"endsAt": "2026-03-12T09:00:00Z"}, "endsAt"),
        ({"startsAt": "3026-03-11T08:00:00Z", "endsAt": "3026-03-11T09:00:00Z"}, "startsAt"),
        ({"startsAt": "0001-01-01T00:00:00+01:00"}, "startsAt"),
        ({"startsAt": "2026-03-11T08:00:00+25:00"}, "startsAt"),
        ({"appointmentType": "party"}, "appointmentType"),
        ({"mode": "telepathy"}, "mode"),
        ({"clientId": "nope"}, "clientId"),
        ({"location": "x" * 201}, "location"),
        ({"notes": "x" * 20_000}, "notes"),
    ],
)
def test_bad_booking_is_400_and_writes_nothing(api, client_record, frozen, change, field):
    body = {**_booking(client_record, datetime(2026, 3, 11, 8, 0, tzinfo=UTC)), **change}
    response = api.post("/api/appointments", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Appointment.objects.exists()


def test_booking_a_client_the_caller_may_not_use_is_400(
    api, therapist, other_therapist, practice, other_practice, frozen
):
    for client in (
        ClientFactory(practice=practice, therapists=[other_therapist]),
        ClientFactory(practice=other_practice),
    ):
        response = api.post("/api/appointments", _booking(client, NOW + timedelta(days=1)), format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "clientId"
    other = api.post(
        "/api/appointments",
        _booking(
            ClientFactory(practice=practice, therapists=[therapist]),
            NOW + timedelta(days=1),
            therapistId=str(other_therapist.pk),
        ),
        format="json",
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["field"] == "therapistId"
    assert not Appointment.objects.exists()


def test_double_booking_is_409_naming_the_clash(api, staff_api, therapist, practice, appointment):
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    for caller, extra in ((api, {}), (staff_api, {"therapistId": str(therapist.pk)})):
        response = caller.post(
            "/api/appointments",
            _booking(other_client, appointment.starts_at + timedelta(minutes=30), **extra),
            format="json",
        )
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "appointment_overlap"
        assert body["data"]["conflictingAppointment"] == {
            "id": str(appointment.pk),
            "startsAt": _iso(appointment.starts_at),
            "endsAt": _iso(appointment.ends_at),
            "status": "scheduled",
        }
    assert Appointment.objects.count() == 1


def test_back_to_back_and_over_cancelled_slots_are_fine(api, therapist, client_record, appointment):
    after = api.post("/api/appointments", _booking(client_record, appointment.ends_at), format="json")
    assert after.status_code == 201
    AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=NOW + timedelta(days=3),
        status="cancelled",
    )
    over_cancelled = api.post("/api/appointments", _booking(client_record, NOW + timedelta(days=3)), format="json")
    assert over_cancelled.status_code == 201


# --- Update ---------------------------------------------------------------------------------


def test_patch_moves_and_confirms(api, appointment):
    new_start = appointment.starts_at + timedelta(hours=3)
    response = api.patch(
        f"/api/appointments/{appointment.pk}",
        {"startsAt": _iso(new_start), "endsAt": _iso(new_start + timedelta(minutes=60)), "status": "confirmed"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert data["starts_at"] == _iso(new_start)
    assert data["duration_minutes"] == 60
    assert data["status"] == "confirmed"


def test_put_replaces_the_booking(staff_api, appointment):
    new_start = appointment.starts_at + timedelta(days=1)
    response = staff_api.put(
        f"/api/appointments/{appointment.pk}",
        {
            "startsAt": _iso(new_start),
            "endsAt": _iso(new_start + timedelta(minutes=45)),
            "appointmentType": "family",
            "mode": "phone",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    appointment.refresh_from_db()
    assert (appointment.appointment_type, appointment.mode, appointment.duration_minutes) == ("family", "phone", 45)


def test_put_changes_only_what_is_sent(api, appointment):
    # The appointment pages send partial bodies to PUT (only the status, or notes).
    before = (appointment.starts_at, appointment.ends_at, appointment.appointment_type, appointment.mode)
    response = api.put(f"/api/appointments/{appointment.pk}", {"notes": "only this"}, format="json")
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.notes == "only this"
    assert (appointment.starts_at, appointment.ends_at, appointment.appointment_type, appointment.mode) == before


def test_moving_onto_another_appointment_is_409(api, therapist, client_record, appointment):
    later = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=appointment.starts_at + timedelta(hours=2)
    )
    response = api.patch(
        f"/api/appointments/{later.pk}",
        {"startsAt": _iso(appointment.starts_at + timedelta(minutes=10))},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["data"]["conflictingAppointment"]["id"] == str(appointment.pk)
    later.refresh_from_db()
    assert later.starts_at == appointment.starts_at + timedelta(hours=2)


def test_patch_end_before_existing_start_is_400(api, appointment):
    response = api.patch(f"/api/appointments/{appointment.pk}", {"endsAt": _iso(appointment.starts_at)}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "endsAt"


@pytest.mark.parametrize("status", ["completed", "cancelled", "no_show", "in_progress"])
def test_closed_appointments_cannot_be_changed(api, therapist, client_record, frozen, status):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, status=status)
    response = api.patch(f"/api/appointments/{appointment.pk}", {"notes": "late edit"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "appointment_not_editable"
    appointment.refresh_from_db()
    assert appointment.notes == ""


@pytest.mark.parametrize("status", ["completed", "in_progress"])
def test_patch_status_never_completes_or_starts(api, appointment, status):
    # Sessions own those two.
    response = api.patch(f"/api/appointments/{appointment.pk}", {"status": status}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


@pytest.mark.parametrize(("status", "field"), [("cancelled", "cancellationReason"), ("no_show", "notes")])
def test_cancelling_or_a_no_show_needs_a_reason(api, appointment, status, field):
    response = api.patch(f"/api/appointments/{appointment.pk}", {"status": status}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


def test_status_round_trip_and_resending_the_same_status(api, appointment):
    url = f"/api/appointments/{appointment.pk}"
    assert api.patch(url, {"status": "confirmed"}, format="json").json()["data"]["status"] == "confirmed"
    # A PUT/PATCH that re-sends the current status is not a transition.
    assert api.patch(url, {"status": "confirmed", "notes": "ok"}, format="json").status_code == 200
    assert api.patch(url, {"status": "scheduled"}, format="json").json()["data"]["status"] == "scheduled"


# --- Cancel ---------------------------------------------------------------------------------


def test_cancel_frees_the_slot(api, therapist, client_record, appointment):
    response = api.post(f"/api/appointments/{appointment.pk}/cancel", {"reason": "Client is ill"}, format="json")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["status"] == "cancelled"
    assert data["cancellation_reason"] == "Client is ill"
    assert data["cancelled_at"] == _iso(NOW)
    appointment.refresh_from_db()
    assert appointment.cancelled_by == therapist
    rebook = api.post("/api/appointments", _booking(client_record, appointment.starts_at), format="json")
    assert rebook.status_code == 201


def test_staff_cancel_any_appointment_of_the_practice(staff_api, staff, appointment):
    response = staff_api.post(f"/api/appointments/{appointment.pk}/cancel", {"reason": "Office closed"}, format="json")
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.cancelled_by == staff


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": 5 * ["x"]}, {"reason": "x" * 1001}])
def test_cancel_needs_a_reason(api, appointment, body):
    response = api.post(f"/api/appointments/{appointment.pk}/cancel", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


@pytest.mark.parametrize("status", ["completed", "cancelled", "no_show", "in_progress"])
def test_cancelling_a_closed_appointment_is_409(api, therapist, client_record, frozen, status):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, status=status)
    response = api.post(f"/api/appointments/{appointment.pk}/cancel", {"reason": "Oops"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status_transition"
    assert response.json()["data"]["status"] == status
    appointment.refresh_from_db()
    assert appointment.status == status
    assert appointment.cancellation_reason == ""


# --- Preparation ----------------------------------------------------------------------------


def test_prepare_with_previous_session_digest(api, therapist, client_record, appointment):
    from practice.models import AuditEvent

    previous = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
        goals_discussed="Sleep routine",
        techniques_used=["CBT", "Sleep hygiene"],
        homework_assigned="Sleep diary",
        mood_start=3,
        mood_end=6,
    )
    SessionFactory(  # older: not the previous one
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 2, 3, 9, 0, tzinfo=UTC),
    )
    response = api.put(
        f"/api/appointments/{appointment.pk}/preparation",
        {"preparationNotes": "Ask about sleep", "reviewPreviousSession": True, "focusAreas": ["sleep", "work"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["data"] == {
        "appointmentId": str(appointment.pk),
        "preparationNotes": "Ask about sleep",
        "reviewPreviousSession": True,
        "focusAreas": ["sleep", "work"],
        "preparedAt": _iso(NOW),
        "previousSession": {
            "id": str(previous.pk),
            "date": "2026-03-03",
            "goalsDiscussed": "Sleep routine",
            "techniquesUsed": ["CBT", "Sleep hygiene"],
            "homeworkAssigned": "Sleep diary",
            "moodStart": 3,
            "moodEnd": 6,
        },
    }
    # One request, two audit calls: the preparation written, then the previous session read.
    audit = AuditEvent.objects.order_by("created_at")
    assert [(e.action, e.record_type, e.record_id) for e in audit] == [
        ("update", "appointment_preparation", str(appointment.pk)),
        ("view", "session", str(previous.pk)),
    ]
    detail = api.get(f"/api/appointments/{appointment.pk}").json()["data"]
    assert detail["preparation"]["focus_areas"] == detail["focus_areas"] == ["sleep", "work"]


def test_prepare_without_review_has_no_digest(api, appointment):
    response = api.put(f"/api/appointments/{appointment.pk}/preparation", {"preparationNotes": "Hi"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["previousSession"] is None


def test_staff_cannot_write_preparation(staff_api, appointment):
    response = staff_api.put(
        f"/api/appointments/{appointment.pk}/preparation", {"preparationNotes": "x"}, format="json"
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.preparation_notes == ""


@pytest.mark.parametrize("status", ["completed", "cancelled", "no_show", "in_progress"])
def test_prepare_a_closed_appointment_is_409(api, therapist, client_record, frozen, status):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, status=status)
    response = api.put(f"/api/appointments/{appointment.pk}/preparation", {"preparationNotes": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "appointment_not_upcoming"


def test_prepare_an_appointment_that_has_started_is_409(api, therapist, client_record):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(minutes=1))
    response = api.put(f"/api/appointments/{appointment.pk}/preparation", {"preparationNotes": "x"}, format="json")
    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.preparation_notes == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"focusAreas": "sleep"}, "focusAreas"),
        ({"focusAreas": ["x"] * 21}, "focusAreas"),
        ({"focusAreas": ["x" * 201]}, "focusAreas.0"),
        ({"reviewPreviousSession": "maybe"}, "reviewPreviousSession"),
        ({"preparationNotes": "x" * 10_001}, "preparationNotes"),
    ],
)
def test_bad_preparation_is_400(api, appointment, body, field):
    response = api.put(f"/api/appointments/{appointment.pk}/preparation", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_unit_state_machine_allows_only_listed_transitions():
    from practice.errors import ConflictError
    from scheduling.services.appointments import TRANSITIONS, appointment_transition_check

    appointment = Appointment(status="scheduled")
    appointment_transition_check(appointment=appointment, to_status="confirmed")
    for status, allowed in TRANSITIONS.items():
        appointment.status = status
        for target in Appointment.Status.values:
            if target in allowed:
                appointment_transition_check(appointment=appointment, to_status=target)
            else:
                with pytest.raises(ConflictError):
                    appointment_transition_check(appointment=appointment, to_status=target)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/appointments"),
        ("patch", "/api/appointments/{id}"),
        ("put", "/api/appointments/{id}"),
        ("post", "/api/appointments/{id}/cancel"),
        ("put", "/api/appointments/{id}/preparation"),
    ],
)
@pytest.mark.parametrize(("raw", "status"), [("[1, 2]", 400), ('"text"', 400), ("{bad json", 400), ("null", 400)])
def test_malformed_bodies_are_400_and_change_nothing(api, appointment, method, path, raw, status):
    before = list(Appointment.objects.values())
    response = getattr(api, method)(path.format(id=appointment.pk), raw, content_type="application/json")
    assert response.status_code == status
    assert response.json()["success"] is False
    assert list(Appointment.objects.values()) == before


def test_session_figures_count_only_the_callers_own_sessions_with_a_shared_client(
    api, therapist, other_therapist, other_therapist_api, staff_api, client_record
):
    # The client sees two therapists: 2 completed sessions with one, 3 with the other.
    client_record.therapists.add(other_therapist)
    for who, count, day in ((therapist, 2, 2), (other_therapist, 3, 20)):
        for n in range(count):
            SessionFactory(
                appointment__therapist=who,
                appointment__client=client_record,
                appointment__starts_at=datetime(2026, 2, day + n, 9, 0, tzinfo=UTC),
            )
    AppointmentFactory(therapist=therapist, client=client_record)
    AppointmentFactory(therapist=other_therapist, client=client_record)

    def figures(caller_api):
        items = caller_api.get("/api/appointments").json()["data"]
        return {(item["client"]["total_sessions"], item["client"]["last_session_date"]) for item in items}

    assert figures(api) == {(2, "2026-02-03")}
    assert figures(other_therapist_api) == {(3, "2026-02-22")}
    # Staff read no sessions: no figures about them either.
    assert figures(staff_api) == {(None, None)}
