"""Keep or cut: the three questions and the recommendation."""

from __future__ import annotations

import json

from conftest import write_account
from scoring_support import TODAY, account, from_data, quarters

from kam_tui.i18n import in_language
from kam_tui.model.assess import RECOMMENDATIONS, assess
from kam_tui.model.evaluate import evaluate_all
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.store.repository import Repository

DEFAULT = ScoringConfig.default()


def assessed(acc, *others):
    evaluations = {e.id: e for e in evaluate_all((acc, *others), DEFAULT, TODAY)}
    return assess(evaluations[acc.id])


def fake_big(network_held):
    return account(
        "fake",
        stage="at-risk",
        payment_terms="credit",
        credit_limit=3_000_000,
        network_held=network_held,
        periods=quarters(
            4,
            sales=2_800_000,
            gross_margin=0.09,
            orders=6,
            stock_in=2_800_000,
            sell_through=1_200_000,
            receivables=2_500_000,
            overdue=900_000,
            owed_to_account=400_000,
        ),
    )


def test_answers_use_the_accounts_figures() -> None:
    a = assessed(account(network_held=0.8))
    money, balance, control = a.answers
    assert (money.key, money.answer) == ("money", "yes")
    assert money.figures["gross_profit_12m"] == 150_000  # 1M at 15 %
    assert (balance.answer, balance.figures["net_owed_to_us"]) == ("no", 80_000)
    assert control.answer == "yes" and control.figures["network_held"] == 0.8
    assert a.recommendation == "keep"


def test_balance_in_our_favour_when_we_owe_it_more() -> None:
    acc = account(periods=quarters(4, sales=250_000, gross_margin=0.15, receivables=50_000, owed_to_account=80_000))
    assert assessed(acc).answer("balance").answer == "yes"


def test_money_no_when_the_latest_quarter_lost_money() -> None:
    acc = account(periods=quarters(4, sales=250_000, gross_margin=[0.10, 0.08, 0.02, -0.03]))
    money = assessed(acc).answer("money")
    assert money.answer == "no" and "latest quarter lost money" in money.why


def test_fake_big_account_without_its_network_takes_the_network_first() -> None:
    a = assessed(fake_big(network_held=0.2))
    assert a.recommendation == "take-network-first"
    assert not a.network_in_hand
    assert any("fake big account" in r for r in a.reasons)
    assert any("never cut before its downstream network is in hand" in r for r in a.reasons)
    assert any("the staged exit can start now with that step (`kam attach" in r for r in a.reasons)


def test_fake_big_account_with_its_network_in_hand_goes_to_staged_exit() -> None:
    a = assessed(fake_big(network_held=0.7))
    assert a.recommendation == "staged-exit"
    assert any("collect what it owes first" in r for r in a.reasons)


def test_exiting_account_waits_for_its_network() -> None:
    exiting = account("exiting", stage="exiting", network_held=0.4)
    assert assessed(exiting).recommendation == "take-network-first"
    held = account("exiting", stage="exiting", network_held=0.75)
    assert assessed(held).recommendation == "staged-exit"


def test_loss_making_account_is_an_exit_candidate() -> None:
    loss = account(network_held=None, periods=quarters(4, sales=250_000, gross_margin=-0.02))
    a = assessed(loss)
    assert a.answer("money").answer == "no"
    assert a.answer("control").answer == "unknown"
    assert a.recommendation == "take-network-first"  # unknown network is not "in hand"


def test_credit_account_with_collection_trouble_moves_to_cash_terms() -> None:
    late = account(
        payment_terms="credit",
        periods=quarters(4, sales=250_000, gross_margin=0.15, receivables=200_000, overdue=[0, 0, 40_000, 80_000]),
    )
    a = assessed(late)
    assert a.recommendation == "cash-terms"
    assert any("credit → partial" in r for r in a.reasons)
    partial = account(payment_terms="partial", credit_limit=2_000_000)  # beyond tier C's policy
    a = assessed(partial)
    assert a.recommendation == "cash-terms" and any("partial → cash" in r for r in a.reasons)


def test_account_holding_its_territory_is_split() -> None:
    big = account("big", network_held=0.5, periods=quarters(4, sales=2_500_000, gross_margin=0.15))
    peers = [account(f"p{i}", periods=quarters(4, sales=250_000)) for i in range(4)]
    a = assessed(big, *peers)
    assert a.recommendation == "split-territory"
    assert any("分兵削权" in r for r in a.reasons)


def test_json_shape() -> None:
    data = json.loads(json.dumps(assessed(fake_big(0.2)).as_json()))
    assert set(data) >= {"id", "answers", "recommendation", "reasons"}
    assert data["recommendation"] in RECOMMENDATIONS
    assert [set(a) >= {"question", "answer", "figures"} for a in data["answers"]] == [True] * 3
    assert data["answers"][0]["question"] == "Do we still make money on it?"


def test_an_exited_account_is_not_recommended_to_be_kept() -> None:
    gone = account(stage="exited")
    a = assessed(gone)
    assert a.recommendation == "staged-exit"
    assert "has exited" in a.reasons[0]


def test_money_counts_profit_on_what_sold_through_and_says_what_is_at_risk() -> None:
    """L408 "do we still make money": sell-in profit on unsold stock is paper profit."""
    money = assessed(fake_big(network_held=0.2)).answer("money")
    assert money.figures["gross_profit_12m"] == 432_000  # 4 × 1.2 M sold through × 9 %
    assert money.figures["sell_in_gross_profit_12m"] == 1_008_000
    assert money.figures["unsold_stock"] == 6_400_000 and money.figures["overdue"] == 900_000
    assert money.answer == "yes"
    assert "gross profit 432,000 in 12 months on what sold through" in money.why
    assert "at risk: unsold stock 6,400,000, overdue 900,000" in money.why


def test_balance_prints_the_reading_used() -> None:
    balance = assessed(fake_big(network_held=0.2)).answer("balance")
    assert balance.why.startswith("顺差/逆差 read as receivables against what we owe it (deposits, rebates, credits), ")


def test_network_advice_only_for_accounts_with_a_downstream_network() -> None:
    losing = {"network_held": 0.1, "periods": {"2026-Q3": {"sales": 100000, "gross_margin": -0.1}}}
    assert assessed(from_data(**losing)).recommendation == "take-network-first"
    maker = assessed(from_data(kind="end-user", **losing))
    assert maker.recommendation == "staged-exit"
    assert maker.answer("control").answer == "n/a"
    assert not any("never cut before" in reason or "keep working on" in reason for reason in maker.reasons)


def test_kam_assess_shows_an_end_users_control_answer_as_not_applicable(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """Before: `kam assess` of an end user died with "internal error: KeyError: 'n/a'"."""
    write_account(repo, "maker", "id: maker\nname: Maker\nstage: active\nkind: end-user\n")
    result = kam("assess", "maker", cwd=repo.root)
    assert result.code == 0, result.err
    assert "   N/A — an end user has no downstream network to take first" in result.out
    with in_language("zh"):
        assert assessed(from_data(kind="end-user")).answer("control").word == "不适用"


def sample_order(**fields):
    """A prospect's one sample order (the demo's qingyun-tech): 36,000 at 21 %, nothing sold on yet."""
    period = quarters(1, sales=36_000, gross_margin=0.21, stock_in=36_000, sell_through=0, receivables=0, overdue=0)
    return account("sample", stage="prospect", payment_terms="cash", periods=period, **fields)


def test_an_end_user_uses_what_it_buys_so_its_profit_is_on_what_it_bought() -> None:
    a = assessed(sample_order(kind="end-user"))
    money = a.answer("money")
    assert money.answer == "yes"
    assert money.figures["gross_profit_12m"] == 7_560 == money.figures["sell_in_gross_profit_12m"]
    assert money.figures["unsold_stock"] is None  # an end user holds no stock for resale
    assert a.recommendation == "keep"


def test_no_profit_yet_is_not_a_loss() -> None:
    money = assessed(sample_order()).answer("money")  # a dealer: nothing sold through yet
    assert money.figures["gross_profit_12m"] == 0
    assert money.answer == "thin"
    assert money.why.endswith(": no profit yet, and no loss") and "we lose money" not in money.why


def test_a_prospect_is_never_told_to_exit() -> None:
    """L233: small and new accounts can be grown; the exit grounds become things to watch."""
    losing = quarters(2, sales=50_000, gross_margin=-0.05)
    a = assessed(account("new", stage="prospect", payment_terms="cash", network_held=0.8, periods=losing))
    assert a.answer("money").answer == "no"
    assert a.recommendation == "keep" and a.exit_grounds == ()
    assert a.reasons[0] == "a prospect is developed, not cut: small and new accounts can be grown"
    assert a.reasons[1].startswith("watch: we lose money on it (")
    same_as_active = assessed(account("old", stage="active", payment_terms="cash", network_held=0.8, periods=losing))
    assert same_as_active.recommendation == "staged-exit"


FAKE_BIG_YAML = """id: fake
name: Fake
stage: at-risk
payment_terms: credit
network_held: 0.2
periods:
""" + "".join(
    f"  {q}: {{sales: 2800000, gross_margin: 0.09, stock_in: 2800000, sell_through: 1200000}}\n"
    for q in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
)


def test_an_attached_staged_exit_is_advised_by_its_next_step_not_attached_again(repo, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "fake", FAKE_BIG_YAML)
    before = kam("assess", "fake", cwd=repo.root)
    assert "the staged exit can start now with that step (`kam attach fake staged-exit`)" in before.out
    assert kam("attach", "fake", "staged-exit").code == 0
    kam("check", "fake", "staged-exit", "1")
    after = kam("assess", "fake")
    assert after.code == 0, after.err
    assert "the team has put it in staged exit (stage: exiting)" in after.out
    assert "kam attach" not in after.out
    assert (
        "  - the staged exit is under way: next step 2, “Check stock-in against sell-through for diversion” "
        "(`kam check fake staged-exit 2`); its 'during' stage waits until the network is in hand\n"
    ) in after.out


def test_the_either_or_balance_question_is_answered_with_a_side() -> None:
    """顺差还是逆差 is not a yes/no question: the answer names the side (the JSON keeps yes/no)."""
    against = assessed(fake_big(network_held=0.2)).answer("balance")  # it owes us 2.5 M, we owe it 0.4 M
    favour = assessed(
        account(periods=quarters(4, sales=250_000, gross_margin=0.15, receivables=50_000, owed_to_account=80_000))
    )
    favour_balance = favour.answer("balance")
    assert (against.answer, against.word) == ("no", "AGAINST US")
    assert (favour_balance.answer, favour_balance.word) == ("yes", "IN OUR FAVOUR")
    assert against.question == "Is the balance in our favour or against us (what it owes us vs what we owe it)?"
    with in_language("zh"):
        assert (against.question, against.word, favour_balance.word) == (
            "是顺差还是逆差（他欠我们的 vs 我们欠他的）？",
            "逆差",
            "顺差",
        )
        assert favour.answer("money").word == "是"  # a yes/no question keeps 是/否
