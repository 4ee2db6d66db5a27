from django.core.management.base import BaseCommand, CommandError

from clinical.services.tally import session_tally_differences, session_tally_recount


class Command(BaseCommand):
    help = (
        "Count each therapist's sessions with each client afresh (the client list's session figures "
        "and the session list's total), replacing the tally the database's triggers keep. Needed "
        "only after a load with the triggers off; --check compares without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only compare; exit non-zero when a pair's tally is wrong."
        )

    def handle(self, *args, check: bool, **options):
        if check:
            wrong = session_tally_differences()
            if wrong:
                raise CommandError(f"{len(wrong)} therapist-client pairs have a wrong tally, e.g. {wrong[0]}.")
            self.stdout.write("The tally matches the sessions.")
            return
        self.stdout.write(f"Counted {session_tally_recount()} therapist-client pairs with sessions.")
