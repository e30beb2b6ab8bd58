from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.demo import DEMO_TOTP_KEY
from apps.accounts.mfa import totp_code


class Command(BaseCommand):
    help = "Print the current two-step verification code of a demo official (demo secret only)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--force", action="store_true", help="Allow when DEBUG is off.")

    def handle(self, *args, email: str, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo codes are for demo machines (DEBUG on, or pass --force).")
        device = TOTPDevice.objects.filter(
            user__email__iexact=email, key=DEMO_TOTP_KEY, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator (run manage.py seed_demo).")
        self.stdout.write(totp_code(device.key))
