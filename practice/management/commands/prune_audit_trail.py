from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from practice.management.commands.seal_audit_trail import practice_option, seal_and_report
from practice.models import Practice
from practice.services.audit_retention import audit_retention_cutoff, audit_trail_prune


class Command(BaseCommand):
    help = (
        "Remove audit entries older than AUDIT_RETENTION_DAYS (at least five years): the oldest part of each "
        "practice's chain only, recorded in the chain and anchored so that verify_audit_trail still verifies. "
        "Seals the entries written since the last seal first (as seal_audit_trail does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", help="Only this practice (id).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")

    def handle(self, *args, practice=None, dry_run=False, **options):
        if settings.AUDIT_RETENTION_DAYS < settings.AUDIT_RETENTION_MIN_DAYS:
            raise CommandError(
                f"AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}; the minimum is "
                f"{settings.AUDIT_RETENTION_MIN_DAYS} days (five years)."
            )
        only = practice_option(practice)
        # Sealing changes no entry's content, so a dry run seals too: what it reports is
        # then what a real run would remove.
        seal_and_report(self, only)
        cutoff = audit_retention_cutoff()
        self.stdout.write(
            f"Removing audit entries created before {cutoff.isoformat()}{' (dry run)' if dry_run else ''}."
        )
        practices = Practice.objects.order_by("name")
        if only is not None:
            practices = practices.filter(pk=only.pk)
        for item in practices:
            outcome = audit_trail_prune(practice=item, dry_run=dry_run)
            if not outcome.removed:
                self.stdout.write(f"{item.name}: nothing past the retention period.")
            else:
                verb = "would remove" if dry_run else "removed"
                self.stdout.write(f"{item.name}: {verb} {outcome.removed} entries, up to #{outcome.through_sequence}.")
