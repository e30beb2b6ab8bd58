"""The notifications app's tasks (see tests/audit/coverage.py).

Delivery bookkeeping is not a record of the authority (tests/notifications/audit_cases.py): the
write that queued a message or an e-mail carries the event. The chases are covered one by one.
"""

from tests.notifications.audit_cases import BOOKKEEPING

TASK_NOT_WRITES = {
    "notifications.relay_outbox": "hands queued messages to the broker; " + BOOKKEEPING,
    "notifications.send_email": "sends one queued e-mail and records its status; " + BOOKKEEPING,
    "notifications.send_digests": "queues the day's digest e-mails; " + BOOKKEEPING,
    "notifications.run_chases": (
        "runs the registered chases; each chase has its own CHASE_CASES entry "
        "(test_chase_writes_exactly_one_audit_event)"
    ),
}
