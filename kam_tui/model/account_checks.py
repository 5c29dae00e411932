"""Every problem of one account's data, in the user's key names: the checks `ACCOUNT` (the
schema) drives, apart from the schema itself so the format reads on one page."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.problems import did_you_mean, not_one_of
from kam_tui.model.schema import (
    ACCOUNT,
    ID_PATTERN,
    MAX_MONEY,
    WHEN_PATTERN,
    YEARS,
    Field,
    Finding,
    Path_,
    dotted,
    parse_when,
)
from kam_tui.model.text import control_characters

MAX_UNKNOWN_REPORTED = 20  # per mapping; the rest are counted in one warning


def validate_account(data: Any, stem: str | None = None) -> list[Finding]:
    """Every problem of one account's data, in the user's key names."""
    if not isinstance(data, dict):
        if data is None:
            message = _("an account file must be a mapping of keys, but this one is empty")
        else:
            message = _("an account file must be a mapping of keys, but this one is a {kind}").format(
                kind=_kind_name(data)
            )
        return [Finding((), "error", message)]
    findings: list[Finding] = []
    _check(ACCOUNT, data, (), findings)
    ident = data.get("id")
    if stem is not None and isinstance(ident, str) and ID_PATTERN.fullmatch(ident) and ident != stem:
        findings.append(
            Finding(
                ("id",),
                "error",
                _("id '{id}' does not match the file name '{stem}.yaml'").format(id=ident, stem=stem),
                _("rename the file or set id: {stem}").format(stem=stem),
            )
        )
    return findings


def _check(spec: Field, value: Any, path: Path_, out: list[Finding]) -> None:
    if value is None:
        if spec.required:
            out.append(Finding(path, "error", _("{path} must have a value").format(path=dotted(path)), at_key=True))
        return
    kind = spec.kind
    if kind == "record":
        if not isinstance(value, dict):
            where = dotted(path) or _("the file")
            out.append(Finding(path, "error", _("{path} must be a mapping of keys").format(path=where)))
            return
        for key, sub in spec.fields.items():
            if sub.required and key not in value:
                missing = _("missing required key '{key}'").format(key=dotted(path + (key,)))
                out.append(Finding(path, "error", missing, at_key=bool(path)))
        unknown = 0
        for key, item in value.items():
            sub_spec = spec.fields.get(key)
            if sub_spec is None:
                unknown += 1
                if unknown <= MAX_UNKNOWN_REPORTED:
                    hint = did_you_mean(key, spec.fields) or _("kept as is")
                    unknown_key = _("unknown key '{key}'").format(key=dotted(path + (key,)))
                    out.append(Finding(path + (key,), "warning", unknown_key, hint, at_key=True))
                continue
            _check(sub_spec, item, path + (key,), out)
        if unknown > MAX_UNKNOWN_REPORTED:
            out.append(
                Finding(
                    path,
                    "warning",
                    _("{n} more unknown keys in {path}").format(
                        n=unknown - MAX_UNKNOWN_REPORTED, path=dotted(path) or _("the file")
                    ),
                    _("kept as is"),
                )
            )
        return
    if kind == "list":
        if not isinstance(value, list):
            out.append(Finding(path, "error", _("{path} must be a list").format(path=dotted(path))))
            return
        assert spec.item is not None
        for index, item in enumerate(value):
            _check(spec.item, item, path + (index,), out)
        return
    if kind == "map":
        if not isinstance(value, dict):
            keyed = _("{path} must be a mapping keyed {keys}").format(path=dotted(path), keys=spec.key_doc)
            out.append(Finding(path, "error", keyed))
            return
        assert spec.item is not None and spec.key_pattern is not None
        for key, item in value.items():
            if not spec.key_pattern.fullmatch(str(key)):
                out.append(
                    Finding(
                        path + (key,),
                        "error",
                        _("{path} key '{key}' is not of the form {form} (years {first}–{last})").format(
                            path=dotted(path), key=key, form=spec.key_doc, first=YEARS[0], last=YEARS[-1]
                        ),
                        at_key=True,
                    )
                )
                continue
            _check(spec.item, item, path + (key,), out)
            if isinstance(item, dict):
                _check_period(item, path + (key,), out)
        return
    message = check_scalar(spec, value)
    if message:
        out.append(Finding(path, "error", f"{dotted(path)}: {message}"))
    elif kind == "text" and isinstance(value, str) and (found := control_characters(value)):
        out.append(
            Finding(
                path,
                "warning",
                _("{path}: contains control characters ({found})").format(path=dotted(path), found=found),
                _("kam shows them escaped and refuses to write new ones; remove them"),
            )
        )


def _check_period(figures: dict[str, Any], path: Path_, out: list[Finding]) -> None:
    """Figures that contradict each other: more overdue than is owed."""
    owed, overdue = figures.get("receivables"), figures.get("overdue")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (owed, overdue)):
        return
    assert owed is not None and overdue is not None
    if overdue > owed:
        out.append(
            Finding(
                path + ("overdue",),
                "error",
                _("{path}: {overdue} overdue is more than the {owed} receivables it is part of").format(
                    path=dotted(path + ("overdue",)), overdue=f"{overdue:,}", owed=f"{owed:,}"
                ),
            )
        )


def check_scalar(spec: Field, value: Any) -> str | None:
    """Why `value` is not valid for a scalar field, or None when it is."""
    kind = spec.kind
    if kind == "text":
        if isinstance(value, (dict, list)):
            return _("expected text, found a {kind}").format(kind=_kind_name(value))
        return None
    if kind == "id":
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            return _("'{value}' is not a valid id (lowercase letters, digits and '-', at most 64)").format(value=value)
        return None
    if kind == "enum":
        if value not in spec.choices:
            return not_one_of(value, spec.choices)
        return None
    if kind == "date":
        day = _as_day(value)
        if day is not None:
            return None if day.year in YEARS else _outside_years(day.isoformat())
        return _("'{value}' is not a date (write YYYY-MM-DD)").format(value=value)
    if kind == "when":
        moment = parse_when(value)
        if moment is not None:
            return None if moment.year in YEARS else _outside_years(value)
        if isinstance(value, str) and WHEN_PATTERN.fullmatch(value):
            return _("'{value}' is not a real date and time").format(value=value)
        day = _as_day(value)
        if day is not None:
            return None if day.year in YEARS else _outside_years(day.isoformat())
        return _("'{value}' is not a date or a date and time (write YYYY-MM-DD or YYYY-MM-DD HH:MM)").format(
            value=value
        )
    if kind == "bool":
        if isinstance(value, bool):
            return None
        return _("'{value}' is not true or false").format(value=value)
    if kind in ("money", "ratio", "signed-ratio", "count", "rating"):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            return _("'{value}' is not a number").format(value=value)
        if kind == "money" and value < 0:
            return _("{value} must not be negative").format(value=value)
        if kind in ("money", "count") and value > MAX_MONEY:
            return _("{value} is larger than kam accepts ({limit})").format(
                value=f"{value:g}", limit=f"{MAX_MONEY:.0e}"
            )
        if kind == "ratio" and not 0 <= value <= 1:
            return _("{value} is outside 0–1").format(value=value)
        if kind == "signed-ratio" and not -1 <= value <= 1:
            return _("{value} is outside -1–1 (write 0.15 for 15 %)").format(value=value)
        if kind in ("count", "rating") and not isinstance(value, int):
            return _("{value} must be a whole number").format(value=value)
        if kind == "count" and value < 0:
            return _("{value} must not be negative").format(value=value)
        if kind == "rating" and not 1 <= value <= 5:
            return _("{value} is outside 1–5").format(value=value)
        return None
    raise AssertionError(f"unknown field kind {kind}")


def _as_day(value: Any) -> dt.date | None:
    """A date (a YAML date, or text in ISO form), else None; a date and time is not one."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _outside_years(value: object) -> str:
    return _("{value} is outside the years {first}–{last}").format(value=value, first=YEARS[0], last=YEARS[-1])


def _kind_name(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__
