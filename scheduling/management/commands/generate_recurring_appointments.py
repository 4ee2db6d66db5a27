from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.db.models import F, Q
from django.utils import timezone

from scheduling.models import RecurringSeries
from scheduling.services.recurring import horizon_end, recurring_series_extend

PROGRESS_EVERY = 500


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
        parser.add_argument(
            "--batch-size",
            type=int,
            default=100,
            help="Series extended per transaction (default %(default)s).",
        )

    def handle(self, *args, horizon_weeks: int, dry_run: bool, batch_size: int, verbosity: int, **options):
        if horizon_weeks < 1 or batch_size < 1:
            raise CommandError("--horizon-weeks and --batch-size must be 1 or more.")
        now = timezone.now()
        series_ids = self._series_behind(now, horizon_weeks)
        total = len(series_ids)
        verb = "would be created" if dry_run else "created"
        mode = " (dry run: nothing is written)" if dry_run else ""
        self.stdout.write(f"{total} series to extend up to {horizon_weeks} weeks ahead{mode}.")
        done = created = conflicts = busy = failed = 0
        for start in range(0, total, batch_size):
            batch = series_ids[start : start + batch_size]
            try:
                outcomes = recurring_series_extend(
                    series_ids=batch, horizon_weeks=horizon_weeks, now=now, dry_run=dry_run
                )
            except OperationalError as exc:
                # A deadlock or lock timeout with a concurrent writer: nothing of this batch
                # was written; the next run picks it up.
                failed += len(batch)
                self.stderr.write(f"{len(batch)} series not extended ({exc.__class__.__name__}); retried next run")
                continue
            busy += len(batch) - len(outcomes)  # another run holds them, or they were stopped meanwhile
            for outcome in outcomes:
                created += len(outcome.occurrences)
                conflicts += len(outcome.conflicts)
                if outcome.occurrences or outcome.conflicts or verbosity > 1:
                    self.stdout.write(
                        f"series {outcome.series.pk}: {len(outcome.occurrences)} occurrences {verb}, "
                        f"{len(outcome.conflicts)} skipped as conflicts, "
                        f"generated until {outcome.series.generated_until}"
                    )
            previous, done = done, done + len(batch)
            if done < total and done // PROGRESS_EVERY > previous // PROGRESS_EVERY:
                self.stdout.write(f"... {done}/{total} series, {created} occurrences {verb} so far")
        summary = (
            f"{total} series: {created} occurrences {verb}, {conflicts} skipped as conflicts, "
            f"{busy} skipped as busy or stopped, {failed} failed."
        )
        self.stdout.write(self.style.SUCCESS(summary) if not failed else self.style.WARNING(summary))

    @staticmethod
    def _series_behind(now, horizon_weeks: int) -> list:
        """Active series not yet generated up to the horizon (or their end), in id order so
        that overlapping runs meet in the same order. The horizon is a local date, so the
        filter is built per timezone in use (a handful)."""
        active = RecurringSeries.objects.filter(is_active=True, generated_until__lt=F("end_date"))
        behind = Q()
        for name in active.values_list("timezone", flat=True).distinct().order_by():
            horizon = horizon_end(tz=ZoneInfo(name), now=now, horizon_weeks=horizon_weeks)
            behind |= Q(timezone=name, generated_until__lt=horizon)
        if not behind:
            return []
        return list(active.filter(behind).order_by("id").values_list("id", flat=True))
