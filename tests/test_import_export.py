"""Spreadsheets in and out: every row validated first, all rows in one commit or none, figures on
file never overwritten silently; UTF-8 (with or without BOM) and GBK; English or Chinese headers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kam_tui.model.schema import ACCOUNT
from kam_tui.model.table_import import PERIOD_HEADERS, match_headers, parse_cell
from kam_tui.store.repository import Repository
from conftest import commit_count, git, write_account

ACME = (
    "id: acme\nname: Acme\nowner: wang\nperiods:\n  2026-Q3: {sales: 100, gross_margin: 0.1}\n"
    "targets:\n  2026-Q3: {sales: 125}\n"
)
BETA = "id: beta\nname: Beta\nowner: li\n"
PERIOD = ACCOUNT.fields["periods"].item


@pytest.fixture
def two(repo: Repository) -> Repository:
    write_account(repo, "acme", ACME)
    write_account(repo, "beta", BETA)
    return repo


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("sales", "1,200,000", 1200000),
        ("sales", "¥1 200 000.50", 1200000.5),
        ("sales", "１２", 12),  # fullwidth digits, as a Chinese input method types them
        ("gross_margin", "15%", 0.15),
        ("gross_margin", "0.15", 0.15),
        ("gross_margin", "-2.5％", -0.025),
        ("orders", "12", 12),
        ("orders", "12.5", None),
    ],
)
def test_cells_are_read_the_way_people_write_them(field: str, text: str, value: object) -> None:
    spec = PERIOD.fields[field]  # type: ignore[union-attr]
    got, why = parse_cell(spec, text)
    assert got == value
    assert (why is None) == (value is not None)


def test_chinese_headers_in_gbk_land_in_one_commit(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(
        tmp_path / "q4.csv",
        "客户编号,期间,销售额,毛利率,进货量,实际销量,应收账款,逾期\r\n"
        'acme,2026-Q4,"1,200,000",15%,"1,300,000",900000,400000,0\r\n'
        "beta,2026-Q4,5000,0.2,,,,\r\n",
        "gbk",
    )
    before = commit_count(two.root)
    result = kam("--repo", str(two.root), "import", "periods", str(table), "--today", "2026-11-29")
    assert result.code == 0, result.err
    assert commit_count(two.root) == before + 1
    assert git(two.root, "log", "-1", "--format=%s").strip() == "import periods from q4.csv: 2 account(s), 8 value(s)"
    assert (
        "  2026-Q3: {sales: 100, gross_margin: 0.1}\n"
        "  2026-Q4: {sales: 1200000, gross_margin: 0.15, stock_in: 1300000, sell_through: 900000, "
        "receivables: 400000, overdue: 0}\n"
        "targets:\n"
    ) in (two.root / "accounts/acme.yaml").read_text(encoding="utf-8")
    assert (
        (two.root / "accounts/beta.yaml")
        .read_text(encoding="utf-8")
        .endswith("periods:\n  2026-Q4: {sales: 5000, gross_margin: 0.2}\n")
    )  # a new quarter is one line, as a person writes it
    diff = git(two.root, "show", "--format=", "--numstat", "HEAD")
    assert sorted(diff.split("\n")[:-1]) == ["1\t0\taccounts/acme.yaml", "2\t0\taccounts/beta.yaml"]


def test_one_bad_row_changes_nothing_and_names_row_and_column(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(
        tmp_path / "bad.csv",
        "\ufeffid,period,sales,gross margin\nacme,2026-Q4,100,0.1\nbeta,2026-Q4,lots,0.1\nnobody,2026-Q4,1,0.1\n",
    )
    before = commit_count(two.root)
    result = kam("--repo", str(two.root), "import", "periods", str(table), "--today", "2026-11-29")
    assert result.code == 2
    assert commit_count(two.root) == before
    assert git(two.root, "status", "--porcelain") == ""
    assert f"{table}:3: error: column 'sales': 'lots' is not a number" in result.err
    assert f"{table}:4: error: column 'id': no account 'nobody'" in result.err
    assert "kam: nothing imported: 2 problem(s)" in result.err


def test_figures_on_file_are_changed_only_with_replace(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(tmp_path / "q3.csv", "id,sales,margin\nacme,150,0.1\n")
    root = str(two.root)
    refused = kam("--repo", root, "import", "periods", str(table), "--period", "2026-Q3")
    assert refused.code == 2
    assert "would change acme 2026-Q3 sales from 100 to 150; --replace to change figures on file" in refused.err
    done = kam("--repo", root, "import", "periods", str(table), "--period", "2026-Q3", "--replace")
    assert done.code == 0, done.err
    assert "row 2: acme periods.2026-Q3.sales: 100 → 150" in done.err
    assert "  2026-Q3: {sales: 150, gross_margin: 0.1}\n" in (two.root / "accounts/acme.yaml").read_text()
    again = kam("--repo", root, "import", "periods", str(table), "--period", "2026-Q3")
    assert again.code == 0 and "nothing to import" in again.err


def test_quarters_that_have_not_begun_and_duplicate_rows_are_refused(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(tmp_path / "f.csv", "id,period,sales\nacme,2027-Q1,1\nbeta,2026-Q4,1\nbeta,2026-Q4,2\n")
    result = kam("--repo", str(two.root), "import", "periods", str(table), "--today", "2026-11-29")
    assert result.code == 2
    assert "2027-Q1 has not begun (today is 2026-11-29)" in result.err
    assert f"{table}:4: error: beta 2026-Q4 is also on row 3" in result.err


def test_unknown_and_missing_columns_are_errors(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(tmp_path / "h.csv", "id,sales,salse\nacme,1,2\n")
    result = kam("--repo", str(two.root), "import", "periods", str(table))
    assert result.code == 2
    assert f"{table}:1: error: column 'salse': unknown column" in result.err
    assert f"{table}:1: error: no column for period" in result.err


def test_import_accounts_creates_with_ids_and_updates_only_with_replace(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(tmp_path / "a.csv", "id,客户名称,客户经理,区域\nnew-co,新公司,zhao,华东\nacme,Acme,li,\n")
    root = str(two.root)
    refused = kam("--repo", root, "import", "accounts", str(table))
    assert refused.code == 2 and "would change acme owner from wang to li" in refused.err
    assert not (two.root / "accounts/new-co.yaml").exists()
    done = kam("--repo", root, "import", "accounts", str(table), "--replace")
    assert done.code == 0, done.err
    assert (two.root / "accounts/new-co.yaml").read_text(encoding="utf-8") == (
        "id: new-co\nname: 新公司\nstage: prospect\nowner: zhao\nregion: 华东\n"  # as `kam new` writes it
    )
    risks = json.loads(kam("--repo", root, "risks", "--json").out)
    assert not [r for r in risks if r["id"] == "new-co"]  # a new prospect is not neglected on day one
    assert "owner: li\n" in (two.root / "accounts/acme.yaml").read_text()
    no_id = _write(tmp_path / "n.csv", "客户名称\n无编号公司\n")
    assert "no column for id" in kam("--repo", root, "import", "accounts", str(no_id)).err


def test_an_imported_account_keeps_the_stage_its_table_gives(two: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _write(tmp_path / "a.csv", "id,name,stage\nold-co,Old Co,active\n")
    assert kam("--repo", str(two.root), "import", "accounts", str(table)).code == 0
    assert "stage: active\n" in (two.root / "accounts/old-co.yaml").read_text(encoding="utf-8")


def test_export_csv_and_json_agree(two: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    out = kam("--repo", str(two.root), "export", "--today", "2026-11-29")
    assert out.code == 0, out.err
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert [r["id"] for r in rows] == ["acme", "beta"]
    assert rows[0]["owner"] == "wang" and rows[0]["sales_12m"] == "100"
    assert (rows[0]["achievement_period"], rows[0]["achievement"]) == ("2026-Q3", "0.8")
    assert rows[1]["achievement"] == ""
    data = json.loads(kam("--repo", str(two.root), "export", "--format", "json", "--today", "2026-11-29").out)
    assert [d["id"] for d in data] == ["acme", "beta"]
    assert data[0]["tier"] == (rows[0]["tier"] or None)


def test_every_name_kam_prints_for_a_figure_is_accepted_as_its_header() -> None:
    """A table copied from kam's own output imports: the TUI's and `kam show`'s period columns, in
    English and Chinese, and the words `kam assess` prints (逾期款)."""
    from kam_tui.i18n import _, in_language
    from kam_tui.tui.widgets.account_panes import PERIOD_COLUMNS

    show = ["PERIOD", "SALES", "MARGIN", "ORDERS", "STOCK-IN", "SELL-THROUGH", "RECEIVABLE", "OVERDUE"]
    wanted = ["period", "sales", "gross_margin", "orders", "stock_in", "sell_through", "receivables", "overdue"]
    for language in ("en", "zh"):
        with in_language(language):
            tui = [_(column) for column in PERIOD_COLUMNS]
        mapping, errors = match_headers(tui, PERIOD_HEADERS, ())
        assert errors == [] and list(mapping.values()) == [*wanted, "owed_to_account"], language
    mapping, errors = match_headers(show, PERIOD_HEADERS, ())
    assert errors == [] and list(mapping.values()) == wanted
    assert match_headers(["逾期款"], PERIOD_HEADERS, ()) == ({0: "overdue"}, [])
