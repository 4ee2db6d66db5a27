"""The notification outbox: delivery after commit, a mail server that is down, the
``send_pending_notifications`` command and the admin's "retry now"."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from practice.tests.factories import StaffFactory, UserFactory
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord, Notification
from scheduling.services.notifications import MAX_ATTEMPTS
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
BROKEN_BACKEND = "scheduling.tests.test_notifications.MailServerDownBackend"
UNSTARTABLE_BACKEND = "scheduling.tests.test_notifications.MisconfiguredBackend"


class MailServerDownBackend(BaseEmailBackend):
    """Every send fails the way an unreachable SMTP server does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class MisconfiguredBackend(BaseEmailBackend):
    """Fails before any message is tried, as a broken email configuration does."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("email backend cannot start")


@pytest.fixture(autouse=True)
def traveller():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def policy(practice):
    return NoShowPolicy.objects.create(practice=practice, default_fee=Decimal("40"), maximum_fee=Decimal("80"))


@pytest.fixture
def missed(therapist, client_record):
    return AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(hours=1))


def send_pending(gives_up: bool = False) -> str:
    out = StringIO()
    if gives_up:
        # The command exits non-zero (CommandError) so that cron reports it.
        with pytest.raises(CommandError, match=r"1 notification\(s\) given up"):
            call_command("send_pending_notifications", stdout=out)
    else:
        call_command("send_pending_notifications", stdout=out)
    return out.getvalue()


def queued(practice, client, count: int = 1) -> list[Notification]:
    return [
        Notification.objects.create(
            practice=practice,
            client=client,
            kind=Notification.Kind.NO_SHOW,
            to_address=client.email,
            subject=f"Message {index}",
            text_body="Hello",
            html_body="<p>Hello</p>",
            next_attempt_at=NOW,
        )
        for index in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_keeps_the_no_show_and_the_command_sends_it_later(
    api, missed, policy, client_record, traveller
):
    # Real commits here: the no-show must be committed while the email fails after it.
    with override_settings(EMAIL_BACKEND=BROKEN_BACKEND):
        response = api.post(
            f"/api/appointments/{missed.pk}/no-show-policy",
            {"reason": "Absent", "applyFee": True, "notifyClient": True},
            format="json",
        )

    assert response.status_code == 201
    assert response.json()["data"]["feeAmount"] == 40
    missed.refresh_from_db()
    assert missed.status == Appointment.Status.NO_SHOW
    assert NoShowRecord.objects.get().fee_amount == Decimal("40.00")
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert notification.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert notification.next_attempt_at == NOW + timedelta(minutes=1)
    assert mail.outbox == []

    # The mail server is back, but the retry is not due yet.
    assert "Sent 0, failed 0" in send_pending()
    traveller.shift(timedelta(minutes=1))
    output = send_pending()

    assert "Sent 1, failed 0" in output
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")
    assert (notification.sent_at, notification.next_attempt_at) == (NOW + timedelta(minutes=1), None)
    [message] = mail.outbox
    assert message.to == [client_record.email]
    assert message.subject == notification.subject
    # Sending again sends nothing twice.
    assert "Sent 0, failed 0" in send_pending()
    assert len(mail.outbox) == 1


def test_a_broken_email_configuration_never_fails_the_request(api, missed, policy, django_capture_on_commit_callbacks):
    with override_settings(EMAIL_BACKEND=UNSTARTABLE_BACKEND), django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/appointments/{missed.pk}/no-show-policy", {"reason": "Absent", "notifyClient": True}, format="json"
        )
    assert response.status_code == 201
    notification = Notification.objects.get()
    # Not even claimed: still pending and due, for the command.
    assert (notification.status, notification.attempts, notification.next_attempt_at) == ("pending", 0, NOW)
    assert "Sent 1, failed 0" in send_pending()
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND=BROKEN_BACKEND)
def test_retries_back_off_exponentially_and_stop_at_the_limit(practice, client_record, traveller):
    [notification] = queued(practice, client_record)
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        output = send_pending(gives_up=attempt == MAX_ATTEMPTS)
        assert "Sent 0, failed 1" in output
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == ("failed", attempt)
        if notification.next_attempt_at is None:
            break
        waits.append(notification.next_attempt_at - datetime.now(UTC))
        # Nothing happens before the retry is due.
        traveller.shift(waits[-1] - timedelta(seconds=1))
        assert "Sent 0, failed 0" in send_pending()
        traveller.shift(timedelta(seconds=1))

    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8, 16, 32, 64]
    assert notification.attempts == MAX_ATTEMPTS
    assert "1 given up" in output
    assert "retries used up" in output
    # Client data stays out of the command's output.
    assert client_record.email not in output
    traveller.shift(timedelta(days=1))
    assert "Sent 0, failed 0" in send_pending()
    notification.refresh_from_db()
    assert notification.attempts == MAX_ATTEMPTS


def test_command_sends_every_due_notification_in_batches(practice, client_record):
    queued(practice, client_record, count=5)
    out = StringIO()
    call_command("send_pending_notifications", "--batch-size", "2", stdout=out)
    assert "Sent 5, failed 0" in out.getvalue()
    assert sorted(m.subject for m in mail.outbox) == [f"Message {i}" for i in range(5)]
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_an_abandoned_claim_is_retried_after_its_lease(practice, client_record, traveller):
    from scheduling.services.notifications import CLAIM_LEASE, notifications_claim

    [notification] = queued(practice, client_record)
    # A sender claimed it and died before sending.
    assert notifications_claim(ids=[notification.pk]) == [notification]
    assert "Sent 0, failed 0" in send_pending()
    traveller.shift(CLAIM_LEASE)
    assert "Sent 1, failed 0" in send_pending()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)


# --- Admin ---------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, practice):
    admin_user = UserFactory(practice=practice, is_staff=True, is_superuser=True, role="staff")
    client.force_login(admin_user)
    return client


def test_admin_retry_now_sends_given_up_notifications(
    superuser_client, practice, client_record, django_capture_on_commit_callbacks
):
    given_up, sent = queued(practice, client_record, count=2)
    Notification.objects.filter(pk=given_up.pk).update(status="failed", attempts=MAX_ATTEMPTS, next_attempt_at=None)
    Notification.objects.filter(pk=sent.pk).update(status="sent", attempts=1, next_attempt_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            "/admin/scheduling/notification/",
            {"action": "retry_now", "_selected_action": [str(given_up.pk), str(sent.pk)]},
        )

    assert response.status_code == 302
    given_up.refresh_from_db()
    assert (given_up.status, given_up.attempts) == ("sent", MAX_ATTEMPTS + 1)
    assert [m.subject for m in mail.outbox] == [given_up.subject]


def test_admin_pages_load(superuser_client, missed, policy, practice, client_record):
    NoShowRecord.objects.create(
        appointment=missed, practice=practice, client=client_record, reason="x", applied_by=missed.therapist
    )
    queued(practice, client_record)
    for path in (
        "/admin/scheduling/noshowpolicy/",
        "/admin/scheduling/noshowpolicy/add/",
        f"/admin/scheduling/noshowpolicy/{policy.pk}/change/",
        "/admin/scheduling/noshowrecord/?q=" + client_record.last_name,
        "/admin/scheduling/notification/?status__exact=pending",
    ):
        assert superuser_client.get(path).status_code == 200, path


def test_staff_see_only_their_practice_in_the_admin(client, practice, other_practice, policy):
    from django.contrib.auth.models import Permission

    foreign = NoShowPolicy.objects.create(practice=other_practice, default_fee=1, maximum_fee=2)
    staff = StaffFactory(practice=practice)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="noshowpolicy"))
    client.force_login(staff)
    page = client.get("/admin/scheduling/noshowpolicy/").content.decode()
    assert str(policy.pk) in page
    assert str(foreign.pk) not in page
    assert client.get(f"/admin/scheduling/noshowpolicy/{foreign.pk}/change/").status_code == 302


def test_admin_rejects_a_second_active_policy(superuser_client, practice, policy):
    response = superuser_client.post(
        "/admin/scheduling/noshowpolicy/add/",
        {
            "practice": str(practice.pk),
            "name": "Another",
            "is_active": "on",
            "default_fee": "10",
            "maximum_fee": "20",
            "grace_minutes": "10",
            "email_subject": "Missed",
            "email_body": "Hello {client_name}",
        },
    )
    assert response.status_code == 200
    assert "already has an active no-show policy" in response.content.decode()
    assert NoShowPolicy.objects.count() == 1


def test_demo_seeds_a_policy_and_past_no_shows(db):
    call_command("seed_demo", "--password", "pw-for-tests", stdout=StringIO())

    def counts():
        records = NoShowRecord.objects.filter(practice__name="Demo Practice")
        return (
            NoShowPolicy.objects.filter(practice__name="Demo Practice", is_active=True).count(),
            records.count(),
            records.filter(fee_amount__isnull=False, currency="EUR").count(),
            Appointment.objects.filter(no_show_record__in=records, status="no_show").count(),
        )

    assert counts() == (1, 4, 3, 4)
    call_command("seed_demo", "--password", "pw-for-tests", stdout=StringIO())
    assert counts() == (1, 4, 3, 4)
    call_command("seed_demo", "--reset", "--password", "pw-for-tests", stdout=StringIO())
    assert counts() == (1, 4, 3, 4)
    assert NoShowRecord.objects.count() == 4
