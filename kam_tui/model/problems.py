"""Problems are data: every check returns records, and the caller reports them all at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from kam_tui.i18n import _

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in one file, located for the user (`path:line:col: level: message`)."""

    path: str
    line: int
    col: int
    level: Level
    message: str
    hint: str | None = None

    def render(self) -> str:
        # YAML files name line and column; markdown (playbooks, checklists) names the line.
        where = (
            f"{self.path}:{self.line}:{self.col}"
            if self.line and self.col
            else (f"{self.path}:{self.line}" if self.line else self.path)
        )
        text = f"{where}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": self.level,
            "message": self.message,
            "hint": self.hint,
        }


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level == "error" for p in problems)


def did_you_mean(given: object, known: Iterable[object]) -> str | None:
    """`did you mean 'owner'?` for the known word closest to what a person wrote, or None when
    none is close: the hint every unknown key or value gets."""
    close = difflib.get_close_matches(str(given), [str(word) for word in known], n=1)
    return _("did you mean '{key}'?").format(key=close[0]) if close else None


def not_one_of(given: object, choices: Sequence[str]) -> str:
    """`'crdit' is not one of credit, partial, cash; did you mean 'credit'?`: a value outside a
    fixed set of words, with the closest."""
    text = _("'{value}' is not one of {choices}").format(value=given, choices=", ".join(choices))
    hint = did_you_mean(given, choices)
    return f"{text}; {hint}" if hint else text
