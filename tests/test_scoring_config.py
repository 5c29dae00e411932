"""kam.yaml's scoring sections: defaults, overrides, and every invalid value reported — with its
line — instead of silently replaced by the default."""

from __future__ import annotations

import pytest
from scoring_support import account, complaint

from kam_tui.model.facts import account_facts, facts_from_plain, facts_to_plain
from kam_tui.model.scorecard import (
    DEFAULT_VISIT_DAYS,
    SCORING_KEYS,
    ScoringConfig,
    config_changes,
    default_kam_yaml,
    scoring_config_from_data,
)
from kam_tui.model.settings import DEFAULT_CADENCE, settings_from_data

DEFAULT = ScoringConfig.default()


def test_empty_kam_yaml_is_the_defaults() -> None:
    for data in ({}, None, {"language": "zh"}):
        config, findings = scoring_config_from_data(data)
        assert findings == [] and config == DEFAULT
    assert DEFAULT.tier_a == 70 and DEFAULT.tier_b == 38
    assert sum(r.weight for r in DEFAULT.dimensions.values()) == 100
    assert DEFAULT_VISIT_DAYS == DEFAULT_CADENCE  # one cadence for settings and policies


def test_partial_sections_keep_the_other_defaults() -> None:
    config, findings = scoring_config_from_data(
        {"scorecard": {"sales": {"weight": 50}}, "policies": {"A": {"credit_limit": None}}}
    )
    assert not findings
    assert config.dimensions["sales"].weight == 50
    assert config.dimensions["sales"].scale == DEFAULT.dimensions["sales"].scale
    assert config.dimensions["margin"] == DEFAULT.dimensions["margin"]
    assert config.policies["A"].credit_limit is None and config.policies["B"] == DEFAULT.policies["B"]


def test_settings_carry_the_scoring_config() -> None:
    settings, findings = settings_from_data({"tiers": {"A": 80}, "visit_cadence": {"B": 45}})
    assert not findings
    assert settings.scoring.tier_a == 80
    assert settings.scoring.policies["B"].visit_days == 45


BAD = [
    # (kam.yaml data, path of the finding, words in its message)
    ({"scorecard": {"salse": {"weight": 3}}}, ("scorecard", "salse"), "unknown key"),
    ({"scorecard": {"sales": {"weight": -1}}}, ("scorecard", "sales", "weight"), "outside 0–1000"),
    ({"scorecard": {"sales": {"weight": "heavy"}}}, ("scorecard", "sales", "weight"), "not a number"),
    ({"scorecard": {"sales": {"weight": True}}}, ("scorecard", "sales", "weight"), "not a number"),
    (
        {"scorecard": {"sales": {"scale": [[0, 0], [5, 30], [4, 100]]}}},
        ("scorecard", "sales", "scale"),
        "figures must increase",
    ),
    ({"scorecard": {"sales": {"scale": [[0, 50], [5, 30]]}}}, ("scorecard", "sales", "scale"), "points must rise"),
    (
        {"scorecard": {"credit": {"overdue_scale": [[0, 0], [0.3, 100]]}}},
        ("scorecard", "credit", "overdue_scale"),
        "points must fall",
    ),
    ({"scorecard": {"sales": {"scale": [[0, 0], [5, 130]]}}}, ("scorecard", "sales", "scale"), "outside 0–100"),
    ({"scorecard": {"sales": {"scale": [[0, 0]]}}}, ("scorecard", "sales", "scale"), "at least two"),
    ({"scorecard": {"sales": 30}}, ("scorecard", "sales"), "must be a mapping"),
    ({"scorecard": {name: {"weight": 0} for name in DEFAULT.dimensions}}, ("scorecard",), "every weight is 0"),
    ({"tiers": {"A": 40, "B": 60}}, ("tiers", "A"), "must be above tiers.B"),
    ({"tiers": {"A": 140}}, ("tiers", "A"), "outside 0–100"),
    ({"tiers": {"D": 10}}, ("tiers", "D"), "unknown key"),
    (
        {"policies": {"C": {"payment_terms": ["cash", "cheque"]}}},
        ("policies", "C", "payment_terms"),
        "'cheque' is not one of",
    ),
    ({"policies": {"A": {"visit_days": 14}}}, ("policies", "A", "visit_days"), "unknown key"),
    ({"policies": {"A": {"response_hours": 0}}}, ("policies", "A", "response_hours"), "greater than 0"),
    (
        {"risks": {"stuffing": {"ratio": 2, "high_ratio": 1.5}}},
        ("risks", "stuffing", "high_ratio"),
        "must not be below",
    ),
    ({"risks": {"control": {"in_hand": 1.5}}}, ("risks", "control", "in_hand"), "outside 0–1"),
    ({"risks": {"dependency": {"min_accounts": 2.5}}}, ("risks", "dependency", "min_accounts"), "whole number"),
    (
        {"matrix": {"attractiveness": {"size": 0, "growth": 0, "margin": 0, "strategic": 0}}},
        ("matrix", "attractiveness"),
        "every weight is 0",
    ),
    ({"company_sales": -5}, ("company_sales",), "at least 0"),
]


@pytest.mark.parametrize("data, path, words", BAD, ids=[".".join(map(str, b[1])) for b in BAD])
def test_invalid_values_are_errors_at_their_path(data, path, words) -> None:
    _, findings = scoring_config_from_data(data)
    errors = [f for f in findings if f.level == "error"]
    assert [f.path for f in errors] == [path], errors
    assert words in errors[0].message


def test_misspelt_key_gets_a_hint() -> None:
    _, findings = scoring_config_from_data({"scorecard": {"margn": {"weight": 1}}})
    assert findings[0].hint == "did you mean 'margin'?"
    _, findings = scoring_config_from_data({"policies": {"A": {"visit_days": 14}}})
    assert "visit_cadence" in findings[0].hint


def test_all_problems_at_once() -> None:
    _, findings = scoring_config_from_data({"tiers": {"A": "x", "B": -3}, "scorecard": {"years": {"weight": None}}})
    assert len(findings) == 3


def test_invalid_kam_yaml_is_reported_with_line_numbers() -> None:
    from kam_tui.store.repository import settings_from_bytes

    text = (
        "language: en\n"
        "tiers:\n"
        "  A: 70\n"
        "  B: lots\n"
        "scorecard:\n"
        "  sales: {weight: 30, scale: [[0, 0], [5000000, 120]]}\n"
        "  stratgic: {weight: 5}\n"
    )
    _, problems = settings_from_bytes(text.encode())
    found = {(p.line, p.level) for p in problems}
    assert found == {(4, "error"), (6, "error"), (7, "error")}
    assert any("did you mean 'strategic'" in (p.hint or "") for p in problems)


def test_the_repository_refuses_to_score_with_an_invalid_kam_yaml(tmp_path) -> None:
    from kam_tui.store.repository import Repository, SettingsInvalid

    (tmp_path / "kam.yaml").write_text("tiers:\n  A: high\n")
    with pytest.raises(SettingsInvalid) as info:
        Repository(tmp_path).settings()
    assert info.value.problems[0].line == 2


def test_config_changes_name_the_keys() -> None:
    new, _ = scoring_config_from_data({"tiers": {"A": 80}, "scorecard": {"sales": {"weight": 40}}})
    changes = config_changes(DEFAULT, new)
    assert ("tiers.A", 70, 80) in changes and ("scorecard.sales.weight", 35, 40) in changes
    assert config_changes(DEFAULT, DEFAULT) == []


def test_default_kam_yaml_documents_every_section() -> None:
    text = default_kam_yaml()
    for key in SCORING_KEYS:
        assert f"\n{key}:" in "\n" + text
    assert "  A: 70  # lowest score of tier A" in text


def test_facts_survive_a_cache_round_trip() -> None:
    import datetime as dt
    import marshal

    acc = account(override=("A", "strategic"), complaints=(complaint(3),), network_held=0.4)
    facts = account_facts(acc)
    plain = marshal.loads(marshal.dumps(facts_to_plain(facts)))
    assert facts_from_plain(plain) == facts
    assert isinstance(facts_from_plain(plain).since, dt.date)
