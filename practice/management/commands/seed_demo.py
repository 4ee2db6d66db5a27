import importlib
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from practice.demo import core as demo

# Each app contributes its demo data through the modules of its ``demo`` package:
# ``seed(ctx)`` adds, ``reset()`` removes. They run in this order, and reset in reverse.
SEEDERS = [
    "practice.demo.core",
    "scheduling.demo.appointments",
    "clinical.demo.sessions",
    "scheduling.demo.recurring",
    "scheduling.demo.no_show",
    "clinical.demo.records",
    "scheduling.demo.availability",
    "scheduling.demo.invoices",
    "clinical.demo.notes",
    "clinical.demo.surveys",
    "clinical.demo.homework",
    "scheduling.demo.notices",
    "practice.demo.messages",
]

LOGINS = [
    ("staff@demo.example", "staff, Demo Practice (admin too)"),
    ("therapist1@demo.example", "therapist, Demo Practice"),
    ("therapist2@demo.example", "therapist, Demo Practice"),
    ("therapist3@demo.example", "therapist, Demo Practice"),
    ("therapist@other.example", "therapist, Other Practice"),
]


class Command(BaseCommand):
    help = "Create the deterministic demo practices, people and records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo data and build it again.")
        parser.add_argument("--password", default="demo-password", help="Password for every demo login.")
        parser.add_argument("--seed", type=int, default=20260101, help="Random seed (same seed, same data).")
        parser.add_argument(
            "--with-2fa",
            action="store_true",
            help=(
                "Turn on two-factor authentication for the demo users with fixed secrets (printed), "
                "instead of leaving therapists to set it up at their first sign-in."
            ),
        )

    def handle(self, *args, reset: bool, password: str, seed: int, with_2fa: bool = False, **options):
        modules = [importlib.import_module(name) for name in SEEDERS]
        with transaction.atomic():
            if reset:
                for module in reversed(modules):
                    module.reset()
                self.stdout.write("Removed the existing demo data.")
            if demo.is_seeded():
                self.stdout.write("Demo data is already present (use --reset to rebuild it).")
            else:
                now = timezone.now()
                ctx = demo.DemoContext(
                    rng=random.Random(seed), password=password, now=now, today=timezone.localdate(now)
                )
                for module in modules:
                    module.seed(ctx)
                for line in ctx.log:
                    self.stdout.write(f"  {line}")
                self.stdout.write(self.style.SUCCESS("Demo data created."))
            secrets = demo.enable_two_factor() if with_2fa else []
        self.stdout.write(f"Demo logins (password: {password}):")
        for email, what in LOGINS:
            self.stdout.write(f"  {email:28} {what}")
        if secrets:
            self.stdout.write("Two-factor authentication is on; TOTP secrets (any authenticator app, or")
            self.stdout.write("`python manage.py totp_code EMAIL` for the current code):")
            for email, secret in secrets:
                self.stdout.write(f"  {email:28} {secret}")
        else:
            self.stdout.write("Therapists set up two-factor authentication at their first sign-in")
            self.stdout.write("(seed with --with-2fa to have it on already).")
