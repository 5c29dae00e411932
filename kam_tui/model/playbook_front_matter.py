"""A playbook's front matter: where it is in the text and whether its keys make sense.

The store reads the YAML between the `---` lines (the model stays stdlib only); these functions
find those lines and judge what the YAML gave.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.problems import Level, Problem, did_you_mean
from kam_tui.model.schema import STAGES

FRONT_MATTER_KEYS = ("title", "description", "stages", "ordered")


def front_matter_bounds(lines: list[str]) -> tuple[int, int] | None:
    """(index of the opening `---`, index of the closing line), or None without front matter.
    An opening `---` that is never closed gives (0, -1)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return 0, index
    return 0, -1


def validate_front_matter(
    data: Any,
    path: str,
    key_lines: Mapping[str, int],
    first_line: int,
) -> list[Problem]:
    """Judge front matter already read as YAML: title and description as text, `stages` as a list
    of lifecycle stages; unknown keys are warnings with a "did you mean"."""
    out: list[Problem] = []

    def add(key: str | None, level: Level, message: str, hint: str | None = None) -> None:
        out.append(Problem(path, key_lines.get(key or "", first_line), 0, level, message, hint))

    if data is None:
        return out
    if not isinstance(data, dict):
        add(None, "error", _("front matter must be keys and values (title:, description:, stages:)"))
        return out
    for key, value in data.items():
        name = str(key)
        if name not in FRONT_MATTER_KEYS:
            add(
                name,
                "warning",
                _("unknown front matter key '{key}'").format(key=name),
                did_you_mean(name, FRONT_MATTER_KEYS)
                or _("known keys: {keys}").format(keys=", ".join(FRONT_MATTER_KEYS)),
            )
        elif name in ("title", "description") and not isinstance(value, str):
            add(name, "error", _("{key} must be text").format(key=name))
        elif name == "ordered" and not isinstance(value, bool):
            add(name, "error", _("ordered must be true or false (true: a stage opens when the one before is done)"))
        elif name == "stages":
            items = value if isinstance(value, list) else None
            if items is None:
                add(name, "error", _("stages must be a list of lifecycle stages, e.g. [active, at-risk]"))
                continue
            for item in items:
                if item not in STAGES:
                    add(
                        name,
                        "error",
                        _("stages: '{item}' is not a lifecycle stage").format(item=item),
                        did_you_mean(item, STAGES) or _("one of {choices}").format(choices=", ".join(STAGES)),
                    )
    return out
