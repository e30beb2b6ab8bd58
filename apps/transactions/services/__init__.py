"""Every write of the transactions app: `from apps.transactions import services`."""

from apps.transactions.services.imports import (
    ImportRejected,
    import_check,
    import_commit,
    import_commit_now,
    import_discard,
    import_now,
    import_start,
    import_upload,
)
from apps.transactions.services.reports import (
    correction_prepare,
    report_file,
    report_prepare,
    transaction_cancel,
    transaction_correct,
    transaction_report,
)
from apps.transactions.services.returns import monthly_return_confirm

__all__ = [
    "ImportRejected",
    "correction_prepare",
    "import_check",
    "import_commit",
    "import_commit_now",
    "import_discard",
    "import_now",
    "import_start",
    "import_upload",
    "monthly_return_confirm",
    "report_file",
    "report_prepare",
    "transaction_cancel",
    "transaction_correct",
    "transaction_report",
]
