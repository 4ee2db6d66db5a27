import sys
import time

import pyotp
from django.core.management.base import BaseCommand, CommandError

from practice.demo import core as demo
from practice.models import TwoFactorDevice
from practice.services.two_factor import TOTP_DIGITS, TOTP_INTERVAL


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo user (enabled or still being set up), as their "
        "authenticator app would show it. Only for the users of the demo practices."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        user = demo.demo_users().filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"{email} is not a user of the demo practices.")
        device = TwoFactorDevice.objects.filter(user=user).first()
        if device is None:
            raise CommandError(
                f"{email} has no authenticator: POST /api/auth/setup-2fa first, or seed with --with-2fa."
            )
        totp = pyotp.TOTP(device.secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
        # A code of a step already accepted would be refused as a replay: wait for a fresh one.
        while device.last_used_step is not None and device.last_used_step >= int(time.time()) // TOTP_INTERVAL:
            wait = TOTP_INTERVAL - time.time() % TOTP_INTERVAL
            sys.stderr.write(f"The current code was already used; waiting {wait:.0f}s for the next one.\n")
            time.sleep(wait + 0.05)
        self.stdout.write(totp.now())
