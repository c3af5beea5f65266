"""One exception family. The CLI maps each to a message for a person and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    MOVE_RECOMMENDED = 1
    USAGE = 2
    NOT_MEASURED = 3
    CONFLICTS = 4
    INTERNAL = 70
    INTERRUPTED = 130


class StackpacksError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code = ExitCode.INTERNAL


class UserError(StackpacksError):
    """Bad input: the message says what is wrong, the hint how to fix it. Nothing was written."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InvalidName(UserError):
    pass


class UnknownPack(UserError):
    pass


class PackNotAvailable(UserError):
    pass


class UnknownOption(UserError):
    pass


class IncompatibleOptions(UserError):
    pass


class DestinationNotEmpty(UserError):
    pass


class NotAProject(UserError):
    pass


class CorruptState(UserError):
    pass


class TargetNotHigher(UserError):
    pass


class DirtyWorkTree(UserError):
    pass


class UpgradePending(UserError):
    pass


class UnresolvedConflicts(UserError):
    pass


class UpgradeInterrupted(StackpacksError):
    """Ctrl-C during an upgrade's write: the message says what state the project is in."""

    exit_code = ExitCode.INTERRUPTED


class InvalidDoctorOption(UserError):
    pass


class MetricsUnreadable(UserError):
    pass


class AppNotAnswering(UserError):
    """Nothing listens at the app's URL: there is nothing to measure, so no window is waited."""

    exit_code = ExitCode.NOT_MEASURED


class BadSilenceFile(UserError):
    pass
