from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.db.models import F
from django.utils import timezone

from scheduling.models import RecurringSeries
from scheduling.services.recurring import recurring_series_extend

PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Extend every active recurring series to the rolling horizon, skipping slots where the "
        "therapist is busy. Idempotent, and safe to run while another run is in progress."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--horizon-weeks",
            type=int,
            default=settings.RECURRING_HORIZON_WEEKS,
            help="How many weeks ahead to materialise (default: RECURRING_HORIZON_WEEKS, %(default)s).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would be created; write nothing.")

    def handle(self, *args, horizon_weeks: int, dry_run: bool, verbosity: int, **options):
        if horizon_weeks < 1:
            raise CommandError("--horizon-weeks must be 1 or more.")
        now = timezone.now()
        # A coarse filter in UTC; the service decides per series in the series' timezone.
        latest_horizon = now.date() + timedelta(weeks=horizon_weeks, days=1)
        series_ids = list(
            RecurringSeries.objects.filter(is_active=True, generated_until__lt=latest_horizon)
            .filter(generated_until__lt=F("end_date"))
            .order_by("id")
            .values_list("id", flat=True)
        )
        total = len(series_ids)
        verb = "would be created" if dry_run else "created"
        mode = " (dry run: nothing is written)" if dry_run else ""
        self.stdout.write(f"Checking {total} series up to {horizon_weeks} weeks ahead{mode}.")
        created = conflicts = busy = failed = 0
        for done, series_id in enumerate(series_ids, start=1):
            try:
                outcome = recurring_series_extend(
                    series_id=series_id, horizon_weeks=horizon_weeks, now=now, dry_run=dry_run
                )
            except OperationalError as exc:
                # A deadlock or lock timeout with a concurrent writer: nothing of this series
                # was written; the next run picks it up.
                failed += 1
                self.stderr.write(f"series {series_id}: not extended ({exc.__class__.__name__}); retried next run")
                continue
            if outcome is None:
                busy += 1  # another run holds it, or it was stopped meanwhile
            else:
                created += len(outcome.occurrences)
                conflicts += len(outcome.conflicts)
                if outcome.occurrences or outcome.conflicts or verbosity > 1:
                    self.stdout.write(
                        f"series {series_id}: {len(outcome.occurrences)} occurrences {verb}, "
                        f"{len(outcome.conflicts)} skipped as conflicts, "
                        f"generated until {outcome.series.generated_until}"
                    )
            if done % PROGRESS_EVERY == 0 and done < total:
                self.stdout.write(f"... {done}/{total} series, {created} occurrences {verb} so far")
        summary = (
            f"{total} series: {created} occurrences {verb}, {conflicts} skipped as conflicts, "
            f"{busy} skipped as busy or stopped, {failed} failed."
        )
        self.stdout.write(self.style.SUCCESS(summary) if not failed else self.style.WARNING(summary))
