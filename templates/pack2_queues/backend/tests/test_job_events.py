"""The hook other apps follow jobs by (WebSocket delivery pushes them from it): the runner
sends job_changed for each change of a receipt, once that change committed."""

import pytest

from apps.jobs import runner
from apps.jobs.events import job_changed
from apps.jobs.models import JobReceipt
from apps.reports.models import Report
from tests.worker_settings import TEST_KINDS

pytestmark = pytest.mark.django_db(transaction=True)
Status = JobReceipt.Status


@pytest.fixture
def heard():
    """What a listener reads from the database each time it is told a job changed."""
    states = []

    def listener(sender, receipt_id, **kwargs):
        receipt = JobReceipt.objects.get(pk=receipt_id)
        states.append((receipt.status, receipt.progress))

    job_changed.connect(listener)
    yield states
    job_changed.disconnect(listener)


def test_each_step_of_a_run_is_announced_with_its_committed_state(alice, heard):
    report = Report.objects.create(owner=alice, title="Q3", rows=10)
    receipt = JobReceipt.objects.create(owner=alice, kind="report.build", subject_id=report.pk)
    assert runner.run(receipt.pk) is None
    # The last step reports 100, kept at 99 until the job has succeeded.
    progress = [(Status.RUNNING, percent) for percent in [*range(10, 100, 10), 99]]
    assert heard == [(Status.RUNNING, 0), *progress, (Status.SUCCEEDED, 100)]


def test_a_failed_attempt_and_giving_up_are_announced(alice, heard, settings):
    settings.JOB_KINDS = {**settings.JOB_KINDS, **TEST_KINDS}
    receipt = JobReceipt.objects.create(owner=alice, kind="test.always_fails", max_attempts=2)
    assert runner.run(receipt.pk) is not None  # retried later
    assert runner.run(receipt.pk) is None
    assert [status for status, _ in heard] == [
        Status.RUNNING,
        Status.QUEUED,
        Status.RUNNING,
        Status.DEAD,
    ]
