"""The team's settings (`kam.yaml`): every setting has a default, so an empty file is valid."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.log import SurveyRule
from kam_tui.model.problems import did_you_mean
from kam_tui.model.schema import Finding
from kam_tui.model.version import parse_requirement
from kam_tui.model.scorecard import SCORING_KEYS, ScoringConfig, scoring_config_from_data

LANGUAGES = ("en", "zh")
DEFAULT_CADENCE = {"A": 30, "B": 90, "C": 180}  # days between visits, per tier


@dataclass(frozen=True)
class Settings:
    language: str = "en"
    currency: str = "CNY"
    visit_cadence: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    raw: dict[str, Any] = field(default_factory=dict)  # the file's data, for sections owned elsewhere
    scoring: ScoringConfig = field(default_factory=ScoringConfig.default)  # scorecard, tiers, …
    people: dict[str, str] = field(default_factory=dict)  # git e-mail → short name used in the files
    surveys: SurveyRule = field(default_factory=SurveyRule)


CORE_KEYS = ("language", "currency", "visit_cadence", "people", "surveys", "kam_version")


def settings_from_data(data: Any) -> tuple[Settings, list[Finding]]:
    """Settings from kam.yaml's data; findings name the user's keys. Sections other modules own
    (scorecard, tiers, policies, risks, matrix) are validated by those modules."""
    findings: list[Finding] = []
    if data is None:
        return Settings(), findings
    if not isinstance(data, dict):
        return Settings(), [Finding((), "error", _("kam.yaml must be a mapping of settings"))]
    language = data.get("language", "en")
    if language not in LANGUAGES:
        findings.append(
            Finding(("language",), "error", _("language '{language}' is not one of en, zh").format(language=language))
        )
        language = "en"
    currency = data.get("currency", "CNY")
    if not isinstance(currency, str) or not currency:
        findings.append(Finding(("currency",), "error", _("currency must be text, e.g. CNY")))
        currency = "CNY"
    cadence = dict(DEFAULT_CADENCE)
    given = data.get("visit_cadence")
    if given is not None:
        if not isinstance(given, dict):
            findings.append(
                Finding(
                    ("visit_cadence",),
                    "error",
                    _("visit_cadence must map tiers to days, e.g. {example}").format(example="{A: 30, B: 90, C: 180}"),
                )
            )
        else:
            for tier, days in given.items():
                if tier not in DEFAULT_CADENCE:
                    findings.append(
                        Finding(
                            ("visit_cadence", tier),
                            "error",
                            _("visit_cadence: unknown tier '{tier}' (A, B or C)").format(tier=tier),
                            at_key=True,
                        )
                    )
                elif isinstance(days, bool) or not isinstance(days, int) or days <= 0:
                    findings.append(
                        Finding(
                            ("visit_cadence", tier),
                            "error",
                            _("visit_cadence.{tier}: '{days}' is not a whole number of days > 0").format(
                                tier=tier, days=days
                            ),
                        )
                    )
                else:
                    cadence[tier] = days
    if "kam_version" in data and parse_requirement(data["kam_version"]) is None:
        findings.append(
            Finding(
                ("kam_version",),
                "error",
                _("kam_version: '{value}' is not a version requirement").format(value=data["kam_version"]),
                _("write the lowest kam the team uses, e.g. {example}").format(example='">=0.3"'),
            )
        )
    people = _people(data.get("people"), findings)
    surveys = _survey_rule(data.get("surveys"), findings)
    scoring, scoring_findings = scoring_config_from_data(data, cadence)
    findings.extend(scoring_findings)
    known = CORE_KEYS + SCORING_KEYS
    for key in data:
        if key not in known:
            findings.append(
                Finding(
                    (key,),
                    "warning",
                    _("unknown setting '{key}'").format(key=key),
                    did_you_mean(key, known) or _("kept as is"),
                    at_key=True,
                )
            )
    return Settings(language, currency, cadence, dict(data), scoring, people, surveys), findings


def _people(given: Any, findings: list[Finding]) -> dict[str, str]:
    if given is None:
        return {}
    if not isinstance(given, dict) or not all(isinstance(v, str) and v.strip() for v in given.values()):
        findings.append(
            Finding(
                ("people",),
                "error",
                _("people must map git e-mail addresses to short names, e.g. {example}").format(
                    example="{li@acme.cn: li}"
                ),
            )
        )
        return {}
    return {str(k).lower(): v.strip() for k, v in given.items()}


def _survey_rule(given: Any, findings: list[Finding]) -> SurveyRule:
    if given is None:
        return SurveyRule()
    if not isinstance(given, dict):
        findings.append(
            Finding(
                ("surveys",),
                "error",
                _("surveys must be a mapping, e.g. {example}").format(example="{action_at: 2, action_days: 14}"),
            )
        )
        return SurveyRule()
    rule = SurveyRule()
    values = {"action_at": rule.action_at, "action_days": rule.action_days}
    every = dict(rule.every)
    for key, value in given.items():
        if key == "every":
            every = _survey_every(value, every, findings)
        elif key not in values:
            findings.append(
                Finding(
                    ("surveys", key),
                    "error",
                    _("unknown key '{key}'").format(key=f"surveys.{key}"),
                    "action_at, action_days, every",
                    at_key=True,
                )
            )
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (1 <= value <= (5 if key == "action_at" else 3650))
        ):
            text = (
                _("surveys.{key}: '{value}' is not a whole number 1–5")
                if key == "action_at"
                else _("surveys.{key}: '{value}' is not a whole number 1–3650 days")
            )
            findings.append(Finding(("surveys", key), "error", text.format(key=key, value=value)))
        else:
            values[key] = value
    return SurveyRule(values["action_at"], values["action_days"], every)


def _survey_every(given: Any, every: dict[str, int | None], findings: list[Finding]) -> dict[str, int | None]:
    """`surveys.every`: days between two surveys per tier, null for a tier not surveyed by default."""
    if not isinstance(given, dict):
        example = "{A: 365, B: 365, C: null}"
        text = _("surveys.every must map tiers to days (null: not surveyed), e.g. {example}").format(example=example)
        findings.append(Finding(("surveys", "every"), "error", text))
        return every
    for tier, days in given.items():
        if tier not in DEFAULT_CADENCE:
            text = _("surveys.every: unknown tier '{tier}' (A, B or C)").format(tier=tier)
            findings.append(Finding(("surveys", "every", tier), "error", text, at_key=True))
        elif days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650):
            text = _("surveys.every.{tier}: '{days}' is not a whole number 1–3650 days, or null").format(
                tier=tier, days=days
            )
            findings.append(Finding(("surveys", "every", tier), "error", text))
        else:
            every[tier] = days
    return every
