import uuid

from django.core.management.base import BaseCommand, CommandError

from practice.models import Practice
from practice.services.audit import audit_seal


def practice_option(value: str | None) -> Practice | None:
    """The practice ``--practice ID`` names, or None without the option."""
    if not value:
        return None
    try:
        practice_id = uuid.UUID(value)
    except ValueError:
        raise CommandError(f"--practice {value!r} is not a practice id (a UUID).") from None
    practice = Practice.objects.filter(pk=practice_id).first()
    if practice is None:
        raise CommandError(f"No practice with id {practice_id}.")
    return practice


def seal_and_report(command: BaseCommand, practice: Practice | None) -> None:
    """Seal the unsealed entries of ``practice`` (or every practice) and say how many."""
    sealed = audit_seal(practice=practice)
    names = dict(Practice.objects.filter(pk__in=sealed).values_list("pk", "name"))
    for practice_id, count in sorted(sealed.items(), key=lambda item: names.get(item[0], "")):
        command.stdout.write(f"{names.get(practice_id, practice_id)}: sealed {count} new entries into the chain.")
    if not sealed:
        command.stdout.write("No audit entries waiting to be sealed.")


class Command(BaseCommand):
    help = (
        "Seal the audit entries requests wrote since the last run into each practice's hash chain "
        "(sequence, previous hash, hash), in short transactions under the practice's lock. "
        "Run it from cron every minute; runs at once never seal an entry twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", help="Only this practice (id).")

    def handle(self, *args, practice=None, **options):
        seal_and_report(self, practice_option(practice))
