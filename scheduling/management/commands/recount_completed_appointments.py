from django.core.management.base import BaseCommand, CommandError

from scheduling.services.tally import completed_tally_differences, completed_tally_recount


class Command(BaseCommand):
    help = (
        "Count each client's completed appointments with each therapist afresh (what the calendar "
        "shows as their sessions), replacing the tally the database's triggers keep. Needed only "
        "after a load with the triggers off; --check compares without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only compare; exit non-zero when a pair's tally is wrong."
        )

    def handle(self, *args, check: bool, **options):
        if check:
            wrong = completed_tally_differences()
            if wrong:
                raise CommandError(f"{len(wrong)} client-therapist pairs have a wrong tally, e.g. {wrong[0]}.")
            self.stdout.write("The tally matches the appointments.")
            return
        self.stdout.write(f"Counted {completed_tally_recount()} client-therapist pairs with completed appointments.")
