from django.core.management.base import BaseCommand, CommandError

from practice.models import Practice
from practice.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify every practice's audit hash chain and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--practice", help="Only this practice (id).")

    def handle(self, *args, practice=None, **options):
        practices = Practice.objects.order_by("name")
        if practice:
            practices = practices.filter(pk=practice)
        broken = 0
        for item in practices:
            checked, chain_break = audit_chain_verify(practice=item)
            if chain_break is None:
                self.stdout.write(f"{item.name}: {checked} entries, chain intact.")
            else:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"{item.name}: chain broken at entry #{chain_break.sequence}"
                        f" (id {chain_break.entry_id}): {chain_break.reason}."
                    )
                )
        if broken:
            raise CommandError(f"{broken} practice(s) have a broken audit trail.")
