"""The hook other apps follow jobs by: `job_changed(receipt_id=...)`, sent once a change commits.

The runner sends it for every change it makes (claimed, progress, finished, retrying, given up),
in whichever process runs the job, so a listener sees what the database holds. WebSocket
delivery, where the app has it, pushes the job to its owner's sockets from here (event streams
follow a PostgreSQL trigger instead).
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

job_changed = Signal()


def changed(receipt_id) -> None:
    """Send job_changed when the current transaction commits (at once outside one).

    Robustly: a listener that fails (its Redis is down) is logged, never fails the job.
    """
    transaction.on_commit(partial(job_changed.send_robust, sender=None, receipt_id=receipt_id))
