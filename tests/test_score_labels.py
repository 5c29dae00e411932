"""The names people read for scorecard dimensions and ratings: every code has one in Chinese, and
an unknown code (or a word of the other context) is shown as it is."""

from __future__ import annotations

from kam_tui.i18n import in_language
from kam_tui.model import schema, score_labels, scoring
from kam_tui.model.score_labels import dimension_label, rating_label


def test_every_dimension_and_rating_has_a_chinese_name() -> None:
    assert set(score_labels.DIMENSIONS) == set(scoring.POINTS)
    assert set(score_labels.RATINGS) == set(schema.RATINGS)
    with in_language("zh"):
        assert [code for code in scoring.POINTS if dimension_label(code) == code] == []
        assert [code for code in schema.RATINGS if rating_label(code) == code] == []
        assert (dimension_label("sales"), rating_label("capital")) == ("销售额", "资金实力")


def test_an_unknown_code_is_shown_as_it_is() -> None:
    with in_language("zh"):
        assert (dimension_label("loyalty"), rating_label("sales")) == ("loyalty", "sales")
    assert (dimension_label("credit"), rating_label("capital")) == ("credit", "capital")
