"""`kam_version: ">=0.3"` in kam.yaml: the lowest kam the team uses. An older kam refuses to
write (and its merge driver steps aside), so it never mishandles fields it does not know."""

from __future__ import annotations

import re

_REQUIREMENT = re.compile(r"\s*(?:>=)?\s*([0-9]+(?:\.[0-9]+){0,2})\s*")


def parse_requirement(text: object) -> tuple[int, ...] | None:
    """'>=0.3' (or '0.3') → (0, 3); None when it is not of that form."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        return None
    match = _REQUIREMENT.fullmatch(text)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"[0-9]+", version)[:3])


def too_old(running: str, required: tuple[int, ...]) -> bool:
    have = version_tuple(running)
    width = max(len(have), len(required))
    return have + (0,) * (width - len(have)) < required + (0,) * (width - len(required))
