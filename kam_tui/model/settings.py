"""The team's settings (`kam.yaml`): every setting has a default, so an empty file is valid."""

from __future__ import annotations

import difflib

from dataclasses import dataclass, field
from typing import Any

from kam_tui.model.schema import Finding
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


CORE_KEYS = ("language", "currency", "visit_cadence")


def settings_from_data(data: Any) -> tuple[Settings, list[Finding]]:
    """Settings from kam.yaml's data; findings name the user's keys. Sections other modules own
    (scorecard, tiers, policies, risks, matrix) are validated by those modules."""
    findings: list[Finding] = []
    if data is None:
        return Settings(), findings
    if not isinstance(data, dict):
        return Settings(), [Finding((), "error", "kam.yaml must be a mapping of settings")]
    language = data.get("language", "en")
    if language not in LANGUAGES:
        findings.append(Finding(("language",), "error", f"language '{language}' is not one of en, zh"))
        language = "en"
    currency = data.get("currency", "CNY")
    if not isinstance(currency, str) or not currency:
        findings.append(Finding(("currency",), "error", "currency must be text, e.g. CNY"))
        currency = "CNY"
    cadence = dict(DEFAULT_CADENCE)
    given = data.get("visit_cadence")
    if given is not None:
        if not isinstance(given, dict):
            findings.append(
                Finding(
                    ("visit_cadence",), "error", "visit_cadence must map tiers to days, e.g. {A: 30, B: 90, C: 180}"
                )
            )
        else:
            for tier, days in given.items():
                if tier not in DEFAULT_CADENCE:
                    findings.append(
                        Finding(
                            ("visit_cadence", tier),
                            "error",
                            f"visit_cadence: unknown tier '{tier}' (A, B or C)",
                            at_key=True,
                        )
                    )
                elif isinstance(days, bool) or not isinstance(days, int) or days <= 0:
                    findings.append(
                        Finding(
                            ("visit_cadence", tier),
                            "error",
                            f"visit_cadence.{tier}: '{days}' is not a whole number of days > 0",
                        )
                    )
                else:
                    cadence[tier] = days
    scoring, scoring_findings = scoring_config_from_data(data, cadence)
    findings.extend(scoring_findings)
    known = CORE_KEYS + SCORING_KEYS
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            findings.append(
                Finding(
                    (key,),
                    "warning",
                    f"unknown setting '{key}'",
                    f"did you mean '{close[0]}'?" if close else "kept as is",
                    at_key=True,
                )
            )
    return Settings(language, currency, cadence, dict(data), scoring), findings
