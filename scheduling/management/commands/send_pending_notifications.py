from django.core.management.base import BaseCommand, CommandError

from scheduling.services.notifications import MAX_ATTEMPTS, notifications_send_due


class Command(BaseCommand):
    help = (
        "Send the notification outbox: pending notifications and failed ones whose retry is due "
        f"(exponential backoff, at most {MAX_ATTEMPTS} attempts). Safe to run several at once. Exits "
        "non-zero when a notification was given up (its retries used up), so that cron reports it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=100, help="Notifications claimed per transaction.")

    def handle(self, *args, batch_size: int, **options):
        report = notifications_send_due(limit=max(batch_size, 1))
        for notification in report.failed:
            retry = (
                f"next attempt at {notification.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC"
                if notification.next_attempt_at
                else "retries used up; use 'retry now' in the admin"
            )
            # Ids and error types only: addresses (which error messages may quote) are client
            # data and stay out of cron logs; the full error is on the row, in the admin.
            error = notification.last_error.partition(":")[0]
            self.stdout.write(f"  failed {notification.pk} (attempt {notification.attempts}, {error}); {retry}")
        summary = f"Sent {len(report.sent)}, failed {len(report.failed)} ({len(report.given_up)} given up)."
        self.stdout.write(self.style.SUCCESS(summary) if not report.failed else self.style.WARNING(summary))
        if report.given_up:
            raise CommandError(f"{len(report.given_up)} notification(s) given up after {MAX_ATTEMPTS} attempts.")
