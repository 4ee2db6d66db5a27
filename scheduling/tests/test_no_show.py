"""POST /api/appointments/{id}/no-show-policy, as the frontend calls it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from practice.models import AuditEvent
from practice.tests.factories import ClientFactory
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord, Notification
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 13:00 UTC = 14:00 in Amsterdam (CET, UTC+1).
NOW = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time():
    # Autouse fixtures run first, so tokens are issued at the frozen time too.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def policy(practice):
    return NoShowPolicy.objects.create(
        practice=practice,
        default_fee=Decimal("50.00"),
        maximum_fee=Decimal("200.00"),
        grace_minutes=15,
        notify_by_default=True,
    )


@pytest.fixture
def missed(therapist, client_record):
    """A confirmed appointment that started an hour ago (12:00 UTC, 13:00 in Amsterdam)."""
    return AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=NOW - timedelta(hours=1),
        status=Appointment.Status.CONFIRMED,
    )


def url(appointment) -> str:
    return f"/api/appointments/{appointment.pk}/no-show-policy"


def post(api, appointment, **body):
    return api.post(url(appointment), body, format="json")


def snapshot(appointment):
    """Everything a no-show request may write, to prove a failed one wrote nothing."""
    appointment.refresh_from_db()
    return (
        appointment.status,
        NoShowRecord.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
        len(mail.outbox),
    )


# --- Happy paths ---------------------------------------------------------------------------


def test_therapist_records_no_show_with_default_fee_and_email(
    api, therapist, client_record, missed, policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(api, missed, reason="Did not arrive", applyFee=True, notifyClient=True)

    assert response.status_code == 201, response.json()
    body = response.json()
    record = NoShowRecord.objects.get()
    assert body == {
        "success": True,
        "message": "No-show recorded.",
        "data": {
            "id": str(record.pk),
            "appointmentId": str(missed.pk),
            "status": "no_show",
            "reason": "Did not arrive",
            "feeAmount": 50.0,
            "currency": "EUR",
            "appliedAt": "2026-03-02T13:00:00Z",
            "appliedBy": {"id": str(therapist.pk), "name": therapist.full_name},
            # Sent only after the commit, so still pending when the payload is built.
            "notificationStatus": "pending",
        },
    }
    missed.refresh_from_db()
    assert missed.status == Appointment.Status.NO_SHOW
    assert (record.fee_amount, record.currency, record.policy, record.applied_by) == (
        Decimal("50.00"),
        "EUR",
        policy,
        therapist,
    )
    audit = AuditEvent.objects.get()
    assert (audit.record_type, audit.record_id, audit.client_id, audit.actor_id, audit.action) == (
        "no_show_record",
        str(record.pk),
        client_record.pk,
        therapist.pk,
        "create",
    )
    assert len(callbacks) == 1
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts, notification.no_show_record) == ("sent", 1, record)
    assert notification.sent_at == NOW
    assert [m.to for m in mail.outbox] == [[client_record.email]]


def test_fee_amount_given_is_charged_in_the_practice_currency(api, missed, policy):
    response = post(api, missed, reason="No call, no show", applyFee=True, feeAmount=75.5, notifyClient=False)
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["feeAmount"], data["currency"], data["notificationStatus"]) == (75.5, "EUR", None)
    assert NoShowRecord.objects.get().fee_amount == Decimal("75.50")


def test_fee_equal_to_the_maximum_is_allowed(api, missed, policy):
    response = post(api, missed, reason="x", applyFee=True, feeAmount=200, notifyClient=False)
    assert response.status_code == 201
    assert response.json()["data"]["feeAmount"] == 200


def test_without_apply_fee_no_fee_is_recorded(api, missed, policy):
    response = post(api, missed, reason="Forgot", applyFee=False, feeAmount=20, notifyClient=False)
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["feeAmount"], data["currency"]) == (None, None)
    assert NoShowRecord.objects.get().fee_amount is None
    assert not Notification.objects.exists()


def test_without_a_policy_an_explicit_fee_has_no_cap_and_no_grace(api, practice, therapist, client_record):
    practice.currency = "GBP"
    practice.save()
    just_started = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(minutes=1))
    response = post(api, just_started, reason="Absent", applyFee=True, feeAmount=500, notifyClient=False)
    assert response.status_code == 201
    assert (response.json()["data"]["feeAmount"], response.json()["data"]["currency"]) == (500, "GBP")


def test_an_inactive_policy_counts_as_none(api, missed, policy):
    policy.is_active = False
    policy.save()
    response = post(api, missed, reason="Absent", applyFee=True, feeAmount=300)
    assert response.status_code == 201
    assert response.json()["data"]["feeAmount"] == 300
    # Without a policy the client is only notified when asked to.
    assert response.json()["data"]["notificationStatus"] is None


@pytest.mark.parametrize(("notify_by_default", "expected"), [(True, "pending"), (False, None)])
def test_notify_client_defaults_to_the_policy(api, missed, policy, notify_by_default, expected):
    policy.notify_by_default = notify_by_default
    policy.save()
    response = post(api, missed, reason="Absent")
    assert response.status_code == 201
    assert response.json()["data"]["notificationStatus"] == expected
    assert Notification.objects.count() == (1 if expected else 0)


def test_staff_may_record_a_no_show_for_any_therapist(staff_api, staff, missed, policy):
    response = post(staff_api, missed, reason="Absent", applyFee=True, notifyClient=False)
    assert response.status_code == 201
    assert response.json()["data"]["appliedBy"]["id"] == str(staff.pk)
    assert AuditEvent.objects.get().actor == staff


def test_grace_period_boundary(api, therapist, client_record, policy):
    exactly = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(minutes=15))
    assert post(api, exactly, reason="Absent", notifyClient=False).status_code == 201


def test_no_show_already_marked_in_the_admin_can_still_be_recorded(api, missed, policy):
    Appointment.objects.filter(pk=missed.pk).update(status=Appointment.Status.NO_SHOW)
    assert post(api, missed, reason="Absent", notifyClient=False).status_code == 201


# --- The email ---------------------------------------------------------------------------


def test_email_is_rendered_from_the_policy_text_in_the_practice_timezone(
    api, practice, therapist, policy, django_capture_on_commit_callbacks
):
    client = ClientFactory(
        practice=practice,
        therapists=[therapist],
        first_name="Siobhan",
        last_name="O'Brien <&>",
        email="s@example.com",
    )
    appointment = AppointmentFactory(therapist=therapist, client=client, starts_at=NOW - timedelta(hours=1))
    policy.email_subject = "{practice_name}: missed session on {appointment_time}"
    policy.email_body = "Hello {client_name},\nyou missed {appointment_time}. Fee: {fee} {currency}. {unknown}"
    policy.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, appointment, reason="Absent", applyFee=True, feeAmount=60, notifyClient=True)

    assert response.status_code == 201
    [message] = mail.outbox
    assert message.subject == "Test Practice: missed session on Monday 2 March 2026, 13:00 CET"
    assert message.to == ["s@example.com"]
    assert message.body.startswith(
        "Hello Siobhan O'Brien <&>,\nyou missed Monday 2 March 2026, 13:00 CET. Fee: 60.00 EUR. {unknown}\n"
    )
    assert "No-show fee: 60.00 EUR" in message.body
    assert "Appointment: Monday 2 March 2026, 13:00 CET" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    # Names are escaped in the HTML part, never injected.
    assert "Hello Siobhan O&#x27;Brien &lt;&amp;&gt;,<br>you missed Monday 2 March 2026, 13:00 CET." in html
    assert "<td>60.00 EUR</td>" in html
    notification = Notification.objects.get()
    assert (notification.subject, notification.text_body, notification.html_body) == (
        message.subject,
        message.body,
        html,
    )


def test_email_without_a_fee_does_not_mention_one(api, missed, policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(api, missed, reason="Absent", applyFee=False, notifyClient=True)
    [message] = mail.outbox
    assert message.subject == "Missed appointment at Test Practice"
    assert "fee" not in message.body.lower()
    assert "fee" not in message.alternatives[0][0].lower()


def test_email_time_follows_the_practice_timezone_across_dst(api, practice, therapist, client_record, policy):
    practice.timezone = "America/New_York"
    practice.save()
    # 8 March 2026 is the first day of daylight saving time in New York (EDT, UTC-4).
    summer = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
    )
    post(api, summer, reason="Absent", notifyClient=True)
    assert "Sunday 1 March 2026, 09:00 EST" in Notification.objects.get().text_body


# --- Conflicts (409) -----------------------------------------------------------------------


def test_second_application_is_409_with_the_existing_record(api, missed, policy):
    first = post(api, missed, reason="Absent", applyFee=True, notifyClient=False)
    assert first.status_code == 201
    before = snapshot(missed)

    second = post(api, missed, reason="Again", applyFee=True, feeAmount=100, notifyClient=True)

    assert second.status_code == 409
    body = second.json()
    assert (body["success"], body["statusCode"], body["code"]) == (False, 409, "no_show_already_applied")
    assert body["data"] == first.json()["data"]
    assert snapshot(missed) == before
    assert NoShowRecord.objects.get().fee_amount == Decimal("50.00")


def test_too_early_is_409(api, therapist, client_record, policy):
    within_grace = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=NOW - timedelta(minutes=14, seconds=59)
    )
    future = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW + timedelta(hours=2))
    for appointment in (within_grace, future):
        before = snapshot(appointment)
        response = post(api, appointment, reason="Absent", applyFee=True)
        assert response.status_code == 409
        assert response.json()["code"] == "no_show_too_early"
        assert snapshot(appointment) == before


@pytest.mark.parametrize(
    "status", [Appointment.Status.CANCELLED, Appointment.Status.COMPLETED, Appointment.Status.IN_PROGRESS]
)
def test_cancelled_completed_or_in_progress_is_409(api, missed, policy, status):
    Appointment.objects.filter(pk=missed.pk).update(status=status)
    before = snapshot(missed)
    response = post(api, missed, reason="Absent", applyFee=True, notifyClient=True)
    assert response.status_code == 409
    assert response.json()["code"] == "no_show_not_allowed"
    assert snapshot(missed) == before


# --- Bad input (400) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"applyFee": True}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({"reason": "x", "applyFee": True, "feeAmount": "200.01"}, "feeAmount"),
        ({"reason": "x", "applyFee": True, "feeAmount": -1}, "feeAmount"),
        ({"reason": "x", "applyFee": True, "feeAmount": "12.345"}, "feeAmount"),
        ({"reason": "x", "applyFee": True, "feeAmount": 12.345}, "feeAmount"),
        ({"reason": "x", "applyFee": True, "feeAmount": "lots"}, "feeAmount"),
        ({"reason": "x", "applyFee": True, "feeAmount": 1e12}, "feeAmount"),
        ({"reason": "x", "applyFee": True, "feeAmount": True}, "feeAmount"),
        ({"reason": "x", "applyFee": "yes"}, "applyFee"),
        ({"reason": "x", "applyFee": 1}, "applyFee"),
        ({"reason": "x", "notifyClient": "false"}, "notifyClient"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(api, missed, policy, body, field):
    before = snapshot(missed)
    response = post(api, missed, **body)
    assert response.status_code == 400, response.json()
    payload = response.json()
    assert payload["code"] == "validation_error"
    assert field in [error["field"] for error in payload["errors"]]
    assert snapshot(missed) == before


def test_fee_above_the_maximum_says_what_the_maximum_is(api, missed, policy):
    response = post(api, missed, reason="x", applyFee=True, feeAmount=250)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "feeAmount", "message": "Ensure this value is less than or equal to 200.00."}
    ]


def test_apply_fee_without_amount_and_without_policy_is_400(api, missed):
    before = snapshot(missed)
    response = post(api, missed, reason="Absent", applyFee=True, notifyClient=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "feeAmount"
    assert snapshot(missed) == before


def test_notifying_a_client_without_email_is_400(api, practice, therapist, policy):
    client = ClientFactory(practice=practice, therapists=[therapist], email="")
    appointment = AppointmentFactory(therapist=therapist, client=client, starts_at=NOW - timedelta(hours=1))
    before = snapshot(appointment)
    response = post(api, appointment, reason="Absent", notifyClient=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "notifyClient"
    assert snapshot(appointment) == before


def test_malformed_json_is_400(api, missed, policy):
    response = api.post(url(missed), data="{reason:", content_type="application/json")
    assert response.status_code == 400
    assert snapshot(missed)[0] == Appointment.Status.CONFIRMED


# --- Who may do it -------------------------------------------------------------------------


def test_another_therapist_gets_404_and_nothing_changes(other_therapist_api, missed, policy):
    before = snapshot(missed)
    response = post(other_therapist_api, missed, reason="Absent", applyFee=True, notifyClient=True)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert snapshot(missed) == before


def test_another_practice_gets_404_and_nothing_changes(other_practice_api, other_practice, missed, policy):
    NoShowPolicy.objects.create(practice=other_practice, default_fee=1, maximum_fee=2)
    before = snapshot(missed)
    assert post(other_practice_api, missed, reason="Absent", applyFee=True).status_code == 404
    assert snapshot(missed) == before


def test_staff_of_another_practice_gets_404(other_practice, missed, policy):
    from conftest import authenticated_client
    from practice.tests.factories import StaffFactory

    foreign_staff = authenticated_client(StaffFactory(practice=other_practice))
    assert post(foreign_staff, missed, reason="Absent").status_code == 404


def test_unknown_appointment_is_404(api):
    response = api.post(
        "/api/appointments/00000000-0000-0000-0000-000000000000/no-show-policy", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_is_401(anon_api, missed):
    assert post(anon_api, missed, reason="Absent").status_code == 401
    assert snapshot(missed)[1] == 0


def test_no_show_endpoint_has_its_own_throttle(api, therapist, client_record, policy):
    appointments = [
        AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(hours=hours))
        for hours in (1, 2, 3)
    ]
    from django.conf import settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "no_show": "2/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [post(api, a, reason="x", notifyClient=False).status_code for a in appointments]
        # Other endpoints are not affected by this scope.
        assert api.get("/api/clients").status_code == 200
    assert statuses == [201, 201, 429]


# --- Query count ---------------------------------------------------------------------------


def test_query_count_is_constant_whatever_the_history(api, therapist, client_record, policy):
    def run(appointment) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert post(api, appointment, reason="Absent", applyFee=True, notifyClient=True).status_code == 201
        return len(queries)

    first = run(AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(days=1)))
    for days in range(2, 22):
        run(AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(days=days)))
    last = run(AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(hours=2)))
    assert first == last
    # 9 statements (10 on PostgreSQL: the audit chain's advisory lock) plus the savepoints
    # of the nested transactions, which are counted here too.
    assert last <= 20


# --- Model rules ---------------------------------------------------------------------------


def test_policy_default_fee_cannot_exceed_maximum(practice):
    policy = NoShowPolicy(practice=practice, default_fee=Decimal("60"), maximum_fee=Decimal("50"))
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "default_fee" in error.value.message_dict


def test_policy_amounts_cannot_be_negative(practice):
    policy = NoShowPolicy(practice=practice, default_fee=Decimal("-1"), maximum_fee=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert {"default_fee", "maximum_fee"} <= set(error.value.message_dict)


def test_policy_text_may_only_use_known_placeholders(practice):
    policy = NoShowPolicy(
        practice=practice, default_fee=1, maximum_fee=2, email_subject="{client_name.__class__}", email_body="{fee}"
    )
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert list(error.value.message_dict) == ["email_subject"]


def test_only_one_active_policy_per_practice(practice, other_practice, policy):
    second = NoShowPolicy(practice=practice, default_fee=1, maximum_fee=2)
    with pytest.raises(ValidationError, match="already has an active no-show policy"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    # Inactive ones, and other practices' ones, are fine.
    NoShowPolicy.objects.create(practice=practice, default_fee=1, maximum_fee=2, is_active=False)
    NoShowPolicy.objects.create(practice=other_practice, default_fee=1, maximum_fee=2)


def test_database_allows_one_record_per_appointment(missed, therapist):
    fields = {"practice": missed.practice, "client": missed.client, "reason": "x", "applied_by": therapist}
    NoShowRecord.objects.create(appointment=missed, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        NoShowRecord.objects.create(appointment=missed, **fields)


def test_database_requires_a_currency_with_a_fee(missed, therapist):
    with pytest.raises(IntegrityError), transaction.atomic():
        NoShowRecord.objects.create(
            appointment=missed,
            practice=missed.practice,
            client=missed.client,
            reason="x",
            applied_by=therapist,
            fee_amount=Decimal("10"),
        )


@pytest.mark.parametrize(
    ("client_language", "practice_language", "subject", "line"),
    [
        (
            "nl",
            "en",
            "Gemiste afspraak bij Test Practice",
            "We hebben u gemist bij uw afspraak op maandag 2 maart 2026, 13:00",
        ),
        ("", "nl", "Gemiste afspraak bij Test Practice", "No-showkosten: 50,00 EUR"),
        ("en", "nl", "Missed appointment at Test Practice", "No-show fee: 50.00 EUR"),
    ],
)
def test_the_email_is_in_the_clients_language_else_the_practices(
    api,
    practice,
    client_record,
    missed,
    policy,
    django_capture_on_commit_callbacks,
    client_language,
    practice_language,
    subject,
    line,
):
    client_record.preferred_language = client_language
    client_record.save(update_fields=["preferred_language"])
    practice.default_language = practice_language
    practice.save(update_fields=["default_language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, missed, reason="Did not come", applyFee=True, notifyClient=True)
    assert response.status_code == 201, response.content
    # The therapist reads English (the practice's default applies to them only without a choice).
    [message] = mail.outbox
    assert message.subject == subject
    assert line in message.body
