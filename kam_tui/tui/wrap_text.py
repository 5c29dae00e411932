"""Chinese text that wraps where a reader expects.

Rich breaks lines only at whitespace (a no-break space included), and a run too long for the rest
of a line starts a new one. In Chinese prose a space sits beside figures (`4 个季度…`, `→ 100 分`),
so a narrow column showed a lone `4` above the sentence it belongs to, or `分` alone below its
number. Chinese needs no space there: without it the short figure stays with its words, and a long
run folds by cells from where it starts.
"""

from __future__ import annotations

import re

_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"
_SHORT = r"\d[\d.%]{0,3}"  # a short figure: 4, 12, 100, 4.6, 50%
_BEFORE = re.compile(rf"(?<={_CJK}) +(?={_SHORT}(?![\d,]))")
_AFTER = re.compile(rf"(?<![A-Za-z0-9,.\-])({_SHORT}) +(?={_CJK})")


def keep_together(text: str) -> str:
    """`text` without the spaces between a short figure and the CJK words beside it (English and
    long figures such as `12,370,000` unchanged)."""
    return _AFTER.sub(r"\1", _BEFORE.sub("", text))
