"""``manage.py generate_recurring_appointments``, the admin's "extend now", and the demo."""

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from practice.tests.factories import ClientFactory, StaffFactory
from scheduling.management.commands import generate_recurring_appointments
from scheduling.models import Appointment, RecurringSeries
from scheduling.services.recurring import recurring_series_set, recurring_series_stop
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

CREATED_AT = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Amsterdam


def make_series(therapist, client, *, hour: int = 8, day: int = 2, pattern: str = "weekly", exceptions=()):
    start = datetime(2026, 3, day, hour, 0, tzinfo=UTC)
    appointment = AppointmentFactory(
        therapist=therapist, client=client, starts_at=start, ends_at=start + timedelta(minutes=50)
    )
    with time_machine.travel(CREATED_AT, tick=False):
        return recurring_series_set(
            actor=therapist,
            appointment_id=appointment.pk,
            pattern=pattern,
            end_date=date(2027, 2, 28),
            exceptions=list(exceptions),
        ).series


def run(*args, at: datetime) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("generate_recurring_appointments", *args, stdout=out, stderr=out)
    return out.getvalue()


def duplicates() -> int:
    return (
        Appointment.objects.filter(series__isnull=False)
        .values("series", "occurrence_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )


def test_extends_to_the_horizon_and_a_second_run_creates_nothing(therapist, client_record):
    series = make_series(therapist, client_record, exceptions=[date(2026, 6, 8)])
    assert series.generated_until == date(2026, 5, 25)
    week_later = CREATED_AT + timedelta(weeks=3)

    output = run(at=week_later)

    series.refresh_from_db()
    assert series.generated_until == date(2026, 6, 15)
    dates = list(series.occurrences.order_by("occurrence_date").values_list("occurrence_date", flat=True))
    assert dates[-2:] == [date(2026, 6, 1), date(2026, 6, 15)]
    assert date(2026, 6, 8) not in dates  # the exception
    assert f"series {series.pk}: 2 occurrences created, 0 skipped as conflicts" in output
    assert "1 series: 2 occurrences created, 0 skipped as conflicts" in output

    count = Appointment.objects.count()
    again = run(at=week_later)
    assert Appointment.objects.count() == count
    assert "0 occurrences created" in again


def test_conflicts_are_skipped_and_reported(therapist, client_record, practice):
    series = make_series(therapist, client_record)
    other = ClientFactory(practice=practice, therapists=[therapist])
    busy_start = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)  # 09:30 summer time, during 09:00-09:50
    busy = AppointmentFactory(
        therapist=therapist, client=other, starts_at=busy_start, ends_at=busy_start + timedelta(minutes=30)
    )
    output = run("--horizon-weeks", "14", at=CREATED_AT + timedelta(days=1))
    assert "1 occurrences created, 1 skipped as conflicts" in output
    assert not series.occurrences.filter(occurrence_date=date(2026, 6, 1)).exists()
    assert Appointment.objects.filter(pk=busy.pk, status=Appointment.Status.SCHEDULED).exists()
    # A skipped conflict is not retried on every run.
    assert "0 occurrences created" in run("--horizon-weeks", "14", at=CREATED_AT + timedelta(days=1))


def test_dry_run_reports_and_writes_nothing(therapist, client_record):
    series = make_series(therapist, client_record)
    before = Appointment.objects.count()
    output = run("--dry-run", "--horizon-weeks", "16", at=CREATED_AT)
    assert "4 occurrences would be created" in output
    assert Appointment.objects.count() == before
    series.refresh_from_db()
    assert series.generated_until == date(2026, 5, 25)


def test_stopped_and_finished_series_are_left_alone(therapist, client_record):
    stopped = make_series(therapist, client_record)
    with time_machine.travel(CREATED_AT, tick=False):
        recurring_series_stop(actor=therapist, appointment_id=stopped.first_appointment_id)
    before = Appointment.objects.count()
    output = run("--horizon-weeks", "52", at=CREATED_AT + timedelta(weeks=4))
    assert "0 series to extend" in output
    assert Appointment.objects.count() == before


def test_series_never_run_past_their_end_date(therapist, client_record):
    series = make_series(therapist, client_record)
    run("--horizon-weeks", "200", at=CREATED_AT)
    series.refresh_from_db()
    assert series.generated_until == date(2027, 2, 28)
    assert series.occurrences.order_by("-occurrence_date").first().occurrence_date == date(2027, 2, 22)


def test_invalid_horizon_is_refused(therapist):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_recurring_appointments", "--horizon-weeks", "0")


def test_progress_lines_for_many_series(therapist, client_record, monkeypatch):
    monkeypatch.setattr(generate_recurring_appointments, "PROGRESS_EVERY", 2)
    for hour in (6, 8, 10, 12, 14):
        make_series(therapist, client_record, hour=hour)
    output = run("--batch-size", "1", at=CREATED_AT + timedelta(weeks=1))
    assert "... 2/5 series" in output
    assert "... 4/5 series" in output
    assert "5 series: 5 occurrences created" in output


def test_queries_do_not_grow_with_the_number_of_series(therapist, client_record):
    def queries_for_run(first_hour: int, new_series: int, weeks_later: int) -> int:
        for hour in range(first_hour, first_hour + new_series):
            make_series(therapist, client_record, hour=hour)
        with CaptureQueriesContext(connection) as queries:
            output = run(at=CREATED_AT + timedelta(weeks=weeks_later))
        assert f"{RecurringSeries.objects.count()} series to extend" in output
        return len(queries)

    two = queries_for_run(5, 2, 1)  # 2 series, one week each
    six = queries_for_run(7, 4, 2)  # 6 series, 12 occurrences
    # (SQLite caps a statement at 999 parameters, so there one insert holds ~49 occurrences;
    # PostgreSQL inserts a batch in one statement.)
    # Per batch of series: list the timezones, list the series, lock and read them, read the
    # therapists' window, insert, stamp, save the series (plus the savepoint pair that the
    # test's own transaction adds).
    assert two == six <= 9
    assert duplicates() == 0


def test_admin_lists_series_and_extends_them_now(client, practice, therapist, client_record):
    series = make_series(therapist, client_record)
    admin_user = StaffFactory(practice=practice, is_superuser=True)
    client.force_login(admin_user)
    with time_machine.travel(CREATED_AT + timedelta(weeks=2), tick=False):
        listing = client.get("/admin/scheduling/recurringseries/")
        assert listing.status_code == 200
        assert str(client_record) in listing.content.decode()
        detail = client.get(f"/admin/scheduling/recurringseries/{series.pk}/change/")
        assert detail.status_code == 200
        # Series are made from an appointment through the API, never typed in here.
        assert client.get("/admin/scheduling/recurringseries/add/").status_code == 403
        response = client.post(
            "/admin/scheduling/recurringseries/",
            {"action": "extend_now", "_selected_action": [str(series.pk)]},
            follow=True,
        )
    assert response.status_code == 200
    assert "Created 2 occurrences" in response.content.decode()
    series.refresh_from_db()
    assert series.generated_until == date(2026, 6, 8)


def test_demo_builds_weekly_biweekly_and_monthly_series():
    call_command("seed_demo", "--password", "pw-for-tests", stdout=StringIO())
    series = list(RecurringSeries.objects.filter(practice__name="Demo Practice"))
    assert sorted(s.pattern for s in series) == ["biweekly", "monthly", "weekly"]
    assert any(len(s.exceptions) == 2 for s in series)
    assert all(s.occurrences.count() > 1 for s in series)
    occurrences = Appointment.objects.filter(series__practice__name="Demo Practice").count()
    call_command("seed_demo", "--reset", "--password", "pw-for-tests", stdout=StringIO())
    assert RecurringSeries.objects.filter(practice__name="Demo Practice").count() == 3
    assert Appointment.objects.filter(series__practice__name="Demo Practice").count() == occurrences


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_never_duplicate_or_crash(practice):
    from practice.tests.factories import TherapistFactory

    therapists = [TherapistFactory(practice=practice) for _ in range(4)]
    for index in range(40):
        therapist = therapists[index % 4]
        client = ClientFactory(practice=practice, therapists=[therapist])
        make_series(therapist, client, hour=5 + index // 4)
    before = Appointment.objects.count()
    barrier = threading.Barrier(2)
    outputs, errors = [], []

    def generate():
        out = StringIO()
        try:
            barrier.wait(10)
            call_command(
                "generate_recurring_appointments", "--horizon-weeks", "30", "--batch-size", "3", stdout=out, stderr=out
            )
            outputs.append(out.getvalue())
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(CREATED_AT + timedelta(weeks=1), tick=False):
        runners = [threading.Thread(target=generate) for _ in range(2)]
        for runner in runners:
            runner.start()
        for runner in runners:
            runner.join(60)

    assert errors == []
    assert len(outputs) == 2
    assert duplicates() == 0
    # Each series now runs to 30 weeks after 9 March: 19 more Mondays, whoever made them.
    assert Appointment.objects.count() == before + 40 * 19
    assert set(RecurringSeries.objects.values_list("generated_until", flat=True)) == {date(2026, 10, 5)}
