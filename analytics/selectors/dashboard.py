"""The therapist dashboard: this day's, week's and month's figures, computed by the
database in a constant number of statements."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from clinical.models import Session
from practice.db.plans import planned_once
from practice.models import Client, User, UserNotification
from practice.selectors import client_clinical_queryset
from scheduling.models import Appointment, Invoice
from scheduling.selectors.appointments import appointment_list_rows

#: Appointments that still count: not cancelled.
_BOOKED = ~Q(status=Appointment.Status.CANCELLED)
UPCOMING_LIMIT = 5


def local_midnight(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


@dataclass(frozen=True)
class TherapistDashboard:
    active_clients: int
    today_appointments: int
    weekly_appointments: int
    completed_sessions: int
    monthly_revenue: Decimal
    currency: str
    unread_notifications: int
    upcoming_appointments: list[dict]


def therapist_dashboard(*, actor: User) -> TherapistDashboard:
    """The calling therapist's figures, in the practice's timezone:

    - ``active_clients``: assigned clients whose status is active;
    - ``today_appointments`` / ``weekly_appointments``: their appointments (not cancelled)
      starting today / this week (Monday to Sunday);
    - ``completed_sessions``: their sessions completed this month;
    - ``monthly_revenue``: the total of their invoices issued this month, in the practice's
      currency;
    - ``unread_notifications``: their unread in-app notifications;
    - ``upcoming_appointments``: their next scheduled or confirmed appointments (at most
      five), as rows of the appointment list (``appointment_list_rows``).

    Six statements whatever the amount of history (two more on PostgreSQL: the planning
    mode of the upcoming appointments, ``planned_once``)."""
    tz = actor.practice.tzinfo
    now = timezone.now()
    today = now.astimezone(tz).date()
    day_start = local_midnight(today, tz)
    day_end = local_midnight(today + datetime.timedelta(days=1), tz)
    week_monday = today - datetime.timedelta(days=today.weekday())
    week_start = local_midnight(week_monday, tz)
    week_end = local_midnight(week_monday + datetime.timedelta(days=7), tz)
    month_first = today.replace(day=1)
    month_start = local_midnight(month_first, tz)
    next_month = (month_first + datetime.timedelta(days=32)).replace(day=1)

    week = Appointment.objects.filter(
        therapist_id=actor.pk, starts_at__gte=week_start, starts_at__lt=week_end
    ).aggregate(
        today=Count("id", filter=_BOOKED & Q(starts_at__gte=day_start, starts_at__lt=day_end)),
        week=Count("id", filter=_BOOKED),
    )
    sessions = Session.objects.filter(
        therapist_id=actor.pk,
        status=Session.Status.COMPLETED,
        ended_at__gte=month_start,
        ended_at__lt=local_midnight(next_month, tz),
    ).count()
    revenue = Invoice.objects.filter(
        therapist_id=actor.pk, issue_date__gte=month_first, issue_date__lt=next_month
    ).aggregate(total=Sum("total_amount"))["total"]
    active = client_clinical_queryset(actor=actor).filter(status=Client.Status.ACTIVE).count()
    unread = UserNotification.objects.filter(recipient_id=actor.pk, is_read=False).count()
    # A page of the calendar, five long: one plan for any values, as the list's page.
    with planned_once():
        upcoming = list(
            appointment_list_rows(actor=actor).filter(
                starts_at__gte=now, status__in=(Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)
            )[:UPCOMING_LIMIT]
        )
    return TherapistDashboard(
        active_clients=active,
        today_appointments=week["today"],
        weekly_appointments=week["week"],
        completed_sessions=sessions,
        monthly_revenue=revenue or Decimal("0.00"),
        currency=actor.practice.currency,
        unread_notifications=unread,
        upcoming_appointments=upcoming,
    )
