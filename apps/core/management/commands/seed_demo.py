from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.accounts import demo as accounts_demo
from apps.catalogue import demo as catalogue_demo
from apps.clients import demo as clients_demo
from apps.licensing import demo as licensing_demo
from apps.transactions import demo as transactions_demo
from apps.workcalendar import demo as workcalendar_demo


class Command(BaseCommand):
    help = "Load demo data: one user per role, producers in every state. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow seeding when DEBUG is off (never on a real deployment).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with known passwords while DEBUG is off; "
                "pass --force if this really is a demo machine."
            )
        counts = accounts_demo.seed()
        counts.update(catalogue_demo.seed())
        counts.update(workcalendar_demo.seed())
        counts.update(clients_demo.seed())
        counts.update(licensing_demo.seed())
        counts.update(transactions_demo.seed())
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: "
                + ", ".join(f"{v} {k}" for k, v in counts.items())
                + f". Password for every demo user: {accounts_demo.DEMO_PASSWORD}"
            )
        )
