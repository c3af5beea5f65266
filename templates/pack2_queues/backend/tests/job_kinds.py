"""Job kinds that exist only for the tests: the worker loads them through worker_settings."""

import os
import signal

from apps.jobs.runner import Job, PermanentJobError


class _Kind:
    @staticmethod
    def gave_up(receipt) -> None:
        pass


class Flaky(_Kind):
    @staticmethod
    def run(job: Job) -> None:
        if job.attempt == 1:
            raise RuntimeError("the first attempt fails")


class AlwaysFails(_Kind):
    @staticmethod
    def run(job: Job) -> None:
        raise RuntimeError("this job always fails")


class BadInput(_Kind):
    @staticmethod
    def run(job: Job) -> None:
        raise PermanentJobError("the input is wrong: retrying cannot help")


class DiesOnce(_Kind):
    """The first attempt kills its own process, as the OOM killer or `kill -9` would."""

    @staticmethod
    def run(job: Job) -> None:
        job.progress(10)
        if job.attempt == 1:
            os.kill(os.getpid(), signal.SIGKILL)
