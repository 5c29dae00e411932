"""The one error type kam reports to a person.

Every refusal, every "not found" and every invalid input is a `KamError`: a message, the exit
code it means (1 problems found, 2 refused or usage), the problems behind it (`path:line`
records) and a hint saying what to do. The CLI and the TUI render it the same way; any other
exception reaching them is a bug and is reported as one.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

DONE = 0
PROBLEMS_FOUND = 1
REFUSED = 2


class KamError(Exception):
    """A request kam will not or cannot carry out; nothing was changed."""

    exit_code: int = REFUSED

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        problems: Sequence[Any] = (),
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = list(problems)  # kam_tui.model.problems.Problem records
        if exit_code is not None:
            self.exit_code = exit_code

    def lines(self, hint: bool = True) -> list[str]:
        """What a person reads, in order: each problem as `path:line:col: level: message`, the
        message, then the hint (unless `hint` is False: a dialog offers its own way past).
        (Control characters are escaped by whoever prints them.)"""
        out = [p.render() for p in self.problems]
        out.append(self.message)
        if hint and self.hint:
            out.append(f"hint: {self.hint}")
        return out


class NothingToDo(KamError):
    """The request is already satisfied (a tick on a ticked step): said on stderr, exit 0."""

    exit_code = DONE


class SavedThenInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) arrived while a save was under way, after git had made the commit: the
    change is saved, as `sha`, and kept."""

    def __init__(self, sha: str) -> None:
        super().__init__(sha)
        self.sha = sha


class Notice(UserWarning):
    """Something a person should know that is no error (a read-only file replaced): issued with
    `warnings.warn`, said on stderr by the CLI, silent for a caller that does not ask for it."""


warnings.filterwarnings("ignore", category=Notice)
