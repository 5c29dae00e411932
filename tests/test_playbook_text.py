"""The shipped playbooks say what the handbook says (B10): one payment rule for new accounts, the
same as the tier policy in kam.yaml; the complaint reply time from kam.yaml per tier; the handbook's
Chinese words; code values explained where prose uses them; the handbook's moves that were missing;
the team's own figures marked as defaults, not the handbook's."""

from __future__ import annotations

import pytest

from kam_tui.store.shipped import shipped_playbooks


def _text(lang: str, name: str) -> str:
    return shipped_playbooks(lang)[name].read_text(encoding="utf-8")


def test_chinese_playbooks_use_the_handbooks_words() -> None:
    everything = "".join(_text("zh", name) for name in shipped_playbooks("zh"))
    for wrong in ("已报销量", "挂上", "一律现款或部分现款", "24小时内"):
        assert wrong not in everything, wrong
    assert "已上报的销量" in everything and "启用维护手册" in everything


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_payment_rule_for_new_accounts_the_tier_policys(lang: str) -> None:
    development = _text(lang, "development")
    assert {"en": "policy risk", "zh": "政策风险"}[lang] in development
    assert "kam.yaml" in development
    maintenance = _text(lang, "maintenance")
    assert "payment_terms" in maintenance and "[cash]" in maintenance


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_complaint_reply_time_comes_from_kam_yaml(lang: str) -> None:
    for name in ("maintenance", "staged-exit"):
        text = _text(lang, name)
        assert "response_hours" in text and "24 hours" not in text, name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_handbooks_missing_moves_and_the_teams_defaults(lang: str) -> None:
    maintenance = _text(lang, "maintenance")
    assert "15" in maintenance and "L399" in maintenance  # one store agent for at most 15 stores
    assert "L393" in maintenance  # store-entry fees borne by the dealer
    default = "the team's default" if lang == "en" else "团队默认值"
    assert maintenance.count(default) >= 2  # visit rhythm, 7-day resolution
    assert default in _text(lang, "development")  # the 30/60-day checks, the visit rhythm


def test_code_values_are_explained_in_chinese_prose() -> None:
    assert "developing（开发中）" in _text("zh", "development")
    assert "cash（现款）" in _text("zh", "development") and "partial（部分现款）" in _text("zh", "development")
    assert "network_held（我方直接掌握的下线网点比例）" in _text("zh", "maintenance")
