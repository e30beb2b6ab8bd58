"""Walk the audit hash chain and report the first broken link (exit status 1 when broken)."""

import sys

from django.core.management.base import BaseCommand

from apps.audit import chain, services


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain from the first event, in batches (constant memory). "
        "Prints the first broken link exactly: event id, expected and found hash."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=chain.VERIFY_BATCH_SIZE)
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="Also record the result as a chain checkpoint (an audited write).",
        )

    def handle(self, *args, batch_size: int, checkpoint: bool, **options):
        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"  {done} events verified")

        result = chain.verify_chain(batch_size=batch_size, on_progress=progress)
        if checkpoint:
            services.chain_checkpoint_record(result=result, actor_label="command audit_verify")
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.describe()))
            return
        self.stdout.write(self.style.ERROR(result.describe()))
        self.stdout.write(f"broken_event_id={result.broken_event_id}")
        self.stdout.write(f"problem={result.problem}")
        self.stdout.write(f"expected={result.expected}")
        self.stdout.write(f"found={result.found}")
        sys.exit(1)
