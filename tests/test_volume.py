"""Volume is what sold through: a dealer that stuffs stock earns no tier, key status or
dependency with the stock it has not sold (L212, L407)."""

from __future__ import annotations

from scoring_support import TODAY, account, quarters

from kam_tui.model.evaluate import evaluate_all
from kam_tui.model.facts import account_facts
from kam_tui.model.scorecard import ScoringConfig

DEFAULT = ScoringConfig.default()


def _stuffer(sell_through: float) -> object:
    return account(
        "stuffer",
        periods=quarters(4, sales=3_000_000, gross_margin=0.09, stock_in=3_000_000, sell_through=sell_through),
    )


def _others() -> list[object]:
    return [account(f"honest-{n}", periods=quarters(4, sales=500_000, gross_margin=0.1)) for n in range(10)]


def test_volume_counts_what_sold_through_where_known() -> None:
    f = account_facts(_stuffer(500_000))
    assert f.sales == 12_000_000 and f.volume == 2_000_000
    assert account_facts(_others()[0]).volume == 2_000_000  # sell-through unknown: sales


def test_unsold_stock_earns_no_tier_key_status_or_dependency() -> None:
    stuffer, *_ = evaluate_all([_stuffer(200_000), *_others()], DEFAULT, TODAY)
    honest, *_ = evaluate_all([_stuffer(3_000_000), *_others()], DEFAULT, TODAY)
    assert stuffer.share is not None and honest.share is not None
    assert round(stuffer.share, 4) == round(800_000 / 20_800_000, 4)  # not 12 M of 32 M
    assert not stuffer.key_account and honest.key_account
    assert honest.score is not None and stuffer.score is not None and stuffer.score < honest.score
    assert "dependency" not in {r.code for r in stuffer.risks}
    assert "dependency" in {r.code for r in honest.risks}
