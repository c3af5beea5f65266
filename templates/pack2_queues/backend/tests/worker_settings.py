"""Settings of the worker processes the tests start: the app's, plus the test job kinds."""

from config.settings import *  # noqa: F403

# Kinds that exist only for the tests (tests/job_kinds.py): failures and a worker's death.
TEST_KINDS = {
    "test.flaky": "tests.job_kinds.Flaky",
    "test.always_fails": "tests.job_kinds.AlwaysFails",
    "test.bad_input": "tests.job_kinds.BadInput",
    "test.dies_once": "tests.job_kinds.DiesOnce",
}
JOB_KINDS = {**JOB_KINDS, **TEST_KINDS}  # noqa: F405
