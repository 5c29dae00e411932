"""Rows of a spreadsheet or ERP export, read as account data: headers matched in English or
Chinese, cells parsed the way people write them, every bad cell reported with row and column.

Pure: the store decodes the file and applies the result; nothing here reads a file or git.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.account_checks import check_scalar
from kam_tui.model.schema import ACCOUNT, PERIOD_PATTERN, Field

# Header names a person may use for each column, English and Chinese (docs/glossary.md), and every
# name kam itself prints for it (`kam show`, the TUI's periods table, `kam assess`: 逾期款).
# Matching ignores case, spaces, '_' and '-'.
PERIOD_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "account", "account id", "客户编号", "客户id", "编号", "客户代码"),
    "period": ("period", "quarter", "期间", "季度", "考核期"),
    "sales": ("sales", "销售额", "销售收入", "销售"),
    "gross_margin": ("gross margin", "margin", "毛利率"),
    "orders": ("orders", "订单数", "订单", "订货次数"),
    "stock_in": ("stock in", "stock-in", "进货量", "进货额", "进货"),
    "sell_through": ("sell through", "sell-through", "实际销量", "实销", "出货"),
    "receivables": ("receivables", "receivable", "应收账款", "应收款", "应收"),
    "overdue": ("overdue", "逾期账款", "逾期款", "逾期金额", "逾期"),
    "owed_to_account": ("owed to account", "应付客户", "欠客户"),
}

ACCOUNT_HEADERS: dict[str, tuple[str, ...]] = {
    "id": PERIOD_HEADERS["id"],
    "name": ("name", "客户名称", "名称", "客户"),
    "stage": ("stage", "阶段", "生命周期"),
    "owner": ("owner", "客户经理", "负责人"),
    "since": ("since", "合作开始", "合作起始", "开始合作"),
    "industry": ("industry", "行业"),
    "region": ("region", "区域", "地区"),
    "payment_terms": ("payment terms", "付款方式", "结算方式"),
    "credit_limit": ("credit limit", "信用额度"),
    "strategic": ("strategic", "战略意义"),
    "network_held": ("network held", "下线网络掌控", "网络掌控"),
    "notes": ("notes", "备注"),
}

_SPACES = re.compile(r"[\s_\-]+")
_MONEY_NOISE = re.compile(r"[,，\s¥￥$]")
_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否"}


def _norm(header: str) -> str:
    return _SPACES.sub("", header.replace("\ufeff", "")).casefold()


@dataclass(frozen=True, slots=True)
class CellError:
    """One bad cell (or row, or header): `row` counts the file's lines, the header being row 1."""

    row: int
    column: str  # the header as the file wrote it ("" for a whole row)
    why: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column or None, "why": self.why}


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # the file's row number (header = 1)
    values: dict[str, Any]  # field name → parsed value; empty cells are absent
    columns: dict[str, str] = field(default_factory=dict)  # field name → header as written


def match_headers(
    headers: Sequence[str], known: dict[str, tuple[str, ...]], required: Sequence[str]
) -> tuple[dict[int, str], list[CellError]]:
    """Column index → field name; unknown headers and missing required ones are errors (a typo
    in a header must not make a whole column vanish silently)."""
    lookup = {_norm(alias): name for name, aliases in known.items() for alias in (name, *aliases)}
    mapping: dict[int, str] = {}
    errors: list[CellError] = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        name = lookup.get(_norm(header))
        if name is None:
            errors.append(CellError(1, header, _("unknown column; known: {names}").format(names=", ".join(known))))
            continue
        if name in seen:
            errors.append(
                CellError(
                    1,
                    header,
                    _("a second column for {name} (the first is '{first}')").format(name=name, first=seen[name]),
                )
            )
            continue
        seen[name] = header
        mapping[index] = name
    for name in required:
        if name not in seen:
            errors.append(
                CellError(
                    1,
                    "",
                    _("no column for {name} (e.g. '{english}' or '{chinese}')").format(
                        name=name, english=known[name][0], chinese=known[name][-1]
                    ),
                )
            )
    return mapping, errors


def parse_cell(spec: Field, text: str) -> tuple[Any, str | None]:
    """A cell as a value of this field: `1,200,000`, `¥1 200 000`, `15%` and `0.15`, `是`/`否`."""
    raw = text.strip()
    kind = spec.kind
    if kind in ("money", "count"):
        cleaned = _MONEY_NOISE.sub("", raw)
        value: Any = _number(cleaned)
        if value is None:
            return None, _("'{text}' is not a number").format(text=raw)
        if kind == "count" and isinstance(value, float) and value.is_integer():
            value = int(value)
    elif kind in ("ratio", "signed-ratio"):
        percent = raw.endswith(("%", "％"))
        value = _number(raw.rstrip("%％").strip())
        if value is None:
            return None, _("'{text}' is not a ratio (write 0.15 or 15%)").format(text=raw)
        if percent:
            value = round(value / 100, 10)
    elif kind == "rating":
        value = _number(raw)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
    elif kind == "bool":
        folded = raw.casefold()
        if folded not in _TRUE | _FALSE:
            return None, _("'{text}' is not true or false (是/否)").format(text=raw)
        value = folded in _TRUE
    elif kind == "date":
        value = raw.replace("/", "-")
    else:
        value = raw
    why = check_scalar(spec, value)
    if why is None and kind == "date":
        value = dt.date.fromisoformat(value)
    return (None, why) if why else (value, None)


def _number(text: str) -> int | float | None:
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        return None
    value = float(text)
    return int(value) if re.fullmatch(r"-?\d+", text) else value


def read_rows(
    table: Sequence[Sequence[str]], known: dict[str, tuple[str, ...]], specs: dict[str, Field], required: Sequence[str]
) -> tuple[list[Row], list[CellError]]:
    """Parse every row; returns the good rows and every error (all of them, not the first)."""
    if not table:
        return [], [CellError(0, "", _("the file is empty"))]
    mapping, errors = match_headers(table[0], known, required)
    headers = table[0]
    if any(name not in mapping.values() for name in required):
        return [], errors
    rows: list[Row] = []
    for offset, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            errors.append(
                CellError(
                    offset, "", _("{cells} cells but {columns} columns").format(cells=len(cells), columns=len(headers))
                )
            )
            continue
        values: dict[str, Any] = {}
        columns: dict[str, str] = {}
        bad = False
        for index, name in mapping.items():
            text = cells[index] if index < len(cells) else ""
            if not text.strip():
                if name in required:
                    errors.append(CellError(offset, headers[index], _("empty, but every row needs it")))
                    bad = True
                continue
            spec = specs.get(name)
            if spec is None:  # id and period: checked by the caller
                values[name] = text.strip()
            else:
                value, why = parse_cell(spec, text)
                if why:
                    errors.append(CellError(offset, headers[index], why))
                    bad = True
                    continue
                values[name] = value
            columns[name] = headers[index]
        if not bad:
            rows.append(Row(offset, values, columns))
    return rows, errors


PERIOD_SPECS: dict[str, Field] = dict(ACCOUNT.fields["periods"].item.fields)  # type: ignore[union-attr]
ACCOUNT_SPECS: dict[str, Field] = {name: ACCOUNT.fields[name] for name in ACCOUNT_HEADERS if name != "id"}


def check_period(text: str) -> str | None:
    return None if PERIOD_PATTERN.fullmatch(text) else _("'{text}' is not a quarter (write 2026-Q4)").format(text=text)
