"""The daily log's rules: what a new list item gets by default, what a change implies, and the
survey rule — one set of functions that `kam add`, the TUI's forms and an import all call.

Handbook (L27–30): problems a satisfaction survey finds are handed to whoever is responsible and
tracked to closure, so a low score opens an action in the same commit as the survey.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import NP_, _, pgettext
from kam_tui.model.schema import ACCOUNT, Path_

LOG_LISTS = ("visits", "complaints", "surveys", "contacts", "actions")
# The scores of a satisfaction survey, each marked once for the catalogue; `pgettext` reads it when shown.
SURVEY_SCORES = (NP_("survey score", "product"), NP_("survey score", "service"), NP_("survey score", "brand"))
CLOSED_STATUSES = ("done", "dropped")


# Days between satisfaction surveys per tier (None: not surveyed unless a plan names it). The
# handbook surveys the key accounts (大客户) regularly (L24–26, L84): A and B once a year; ordinary
# accounts (C) are not surveyed by default. A team that wants more sets kam.yaml `surveys.every`.
DEFAULT_SURVEY_EVERY: dict[str, int | None] = {"A": 365, "B": 365, "C": None}


@dataclass(frozen=True, slots=True)
class SurveyRule:
    """kam.yaml `surveys:` — a score at or below `action_at` opens an action due in `action_days`;
    `every` is how many days may pass between two surveys of an account of each tier."""

    action_at: int = 2
    action_days: int = 14
    every: dict[str, int | None] = field(default_factory=lambda: dict(DEFAULT_SURVEY_EVERY))


def item_defaults(list_name: str, item: dict[str, Any], by: str | None, owner: str | None, today: dt.date) -> dict:
    """The item with what the user did not give filled in, keys in the schema's order."""
    filled = dict(item)
    if list_name == "visits":
        filled.setdefault("date", today)
        if by:
            filled.setdefault("by", by)
    elif list_name == "complaints":
        filled.setdefault("opened", today)
    elif list_name == "surveys":
        filled.setdefault("date", today)
    elif list_name == "actions":
        if owner:
            filled.setdefault("owner", owner)
        filled.setdefault("status", "open")
        filled.setdefault("opened", today)
    return in_schema_order(list_name, filled)


def in_schema_order(list_name: str, item: dict[str, Any]) -> dict[str, Any]:
    spec = ACCOUNT.fields[list_name].item
    order = list(spec.fields) if spec is not None and spec.kind == "record" else []
    return {k: item[k] for k in sorted(item, key=lambda k: order.index(k) if k in order else len(order))}


def survey_action(survey: dict[str, Any], owner: str | None, rule: SurveyRule) -> dict[str, Any] | None:
    """The action a survey opens when any score is at or below the rule's threshold, else None.
    Its `what` is in the language `_()` speaks: the caller writes it in the repository's."""
    low = {
        name: survey[name]
        for name in SURVEY_SCORES
        if isinstance(survey.get(name), int) and survey[name] <= rule.action_at
    }
    day = survey.get("date")
    if not low or not isinstance(day, dt.date):
        return None
    action: dict[str, Any] = {"what": _("follow up low survey scores ({scores})").format(scores=_scores(low))}
    if owner:
        action["owner"] = owner
    action.update(
        {
            "due": day + dt.timedelta(days=rule.action_days),
            "status": "open",
            "opened": day,
            "source": _("survey {date}").format(date=day.isoformat()),
        }
    )
    return action


def implied_changes(data: Any, changes: list[tuple[Path_, Any]], today: dt.date) -> list[tuple[Path_, Any]]:
    """What a change implies: an action set to done or dropped is closed today (unless the same
    change or the file already gives its `closed`)."""
    extra: list[tuple[Path_, Any]] = []
    given = {path for path, _value in changes}
    for path, value in changes:
        if len(path) == 3 and path[0] == "actions" and path[2] == "status" and value in CLOSED_STATUSES:
            item = _item(data, path[:2])
            closed = path[:2] + ("closed",)
            if closed not in given and not (isinstance(item, dict) and item.get("closed")):
                extra.append((closed, today))
    return extra


def _item(data: Any, path: Path_) -> Any:
    try:
        return data[path[0]][path[1]]
    except (KeyError, IndexError, TypeError):
        return None


def log_subject(account_id: str, list_name: str, item: Any, action_opened: bool = False) -> str:
    """The commit subject a reviewer scans: `acme: visit 2026-11-20 by li` (in the language `_()`
    speaks: the caller writes it in the repository's)."""
    what = _log_what(list_name, item)
    if action_opened:
        what = _("{what}, action opened").format(what=what)
    return _("{id}: {changes}").format(id=account_id, changes=what)


def _log_what(list_name: str, item: Any) -> str:
    if not isinstance(item, dict):
        return f"{list_name} + {item}"
    if list_name == "visits":
        day = _day(item.get("date"))
        if item.get("by"):
            return _("visit {date} by {who}").format(date=day, who=item["by"])
        return _("visit {date}").format(date=day)
    if list_name == "complaints":
        return _("complaint {date}").format(date=_day(item.get("opened"))) + _about(item.get("summary"))
    if list_name == "surveys":
        scores = {k: item[k] for k in SURVEY_SCORES if item.get(k) is not None}
        day = _day(item.get("date"))
        if scores:
            return _("survey {date} ({scores})").format(date=day, scores=_scores(scores))
        return _("survey {date}").format(date=day)
    if list_name == "contacts":
        name = str(item.get("name") or "")
        if item.get("role"):
            return _("contact {name} ({role})").format(name=name, role=item["role"])
        return _("contact {name}").format(name=name).rstrip()
    if list_name == "actions":
        what = pgettext("log item", "action") + _about(item.get("what"))
        if item.get("owner"):
            what += _(" for {owner}").format(owner=item["owner"])
        if item.get("due"):
            what += _(" due {date}").format(date=_day(item["due"]))
        return what
    return _("{list} item added").format(list=list_name)


def _scores(scores: dict[str, Any]) -> str:
    """`product 2, service 4`: a survey's scores by name."""
    return _(", ").join(f"{_score_name(name)} {value}" for name, value in scores.items())


def _score_name(name: str) -> str:
    return pgettext("survey score", name)


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _about(text: Any) -> str:
    if not text:
        return ""
    line = str(text).split("\n", 1)[0]
    return f" “{line[:48]}…”" if len(line) > 48 else f" “{line}”"
