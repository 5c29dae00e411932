"""Comments the other side added survive a merge: a merge that starts from ours' text would
otherwise drop them silently (measured). Each one goes back beside the line it was written
beside; one whose line is gone goes to the end of the file and is reported."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from kam_tui.store.yamlread import Document


class Comment(NamedTuple):
    line: int  # 0-based
    text: str  # from the '#' on
    whole: bool  # a line of its own (else after a value)
    code: str  # the line without the comment, stripped


def comments(text: str) -> list[Comment]:
    """Every comment of a YAML text (a '#' at a line's start or after a space, outside quotes)."""
    out = []
    for number, line in enumerate(text.split("\n")):
        at = _comment_at(line)
        if at is not None:
            code = line[:at].strip()
            out.append(Comment(number, line[at:].rstrip("\r").rstrip(), not code, code))
    return out


def _comment_at(line: str) -> int | None:
    quote = ""
    for index, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (index == 0 or line[index - 1] in " [{,:-"):
            quote = ch
        elif ch == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return None


def carry_comments(base: str, theirs: Document, merged: str) -> tuple[str, list[str]]:
    """`merged` with every comment theirs added (and merged lacks) put back; notes for the moved."""
    missing = Counter(c.text for c in comments(theirs.text)) - Counter(c.text for c in comments(base))
    missing -= Counter(c.text for c in comments(merged))
    if not missing:
        return merged, []
    theirs_lines = theirs.text.split("\n")
    notes: list[str] = []
    lines = merged.split("\n")
    stray: list[str] = []
    for comment in comments(theirs.text):
        if missing[comment.text] <= 0:
            continue
        missing[comment.text] -= 1
        if not _place(lines, theirs_lines, comment):
            stray.append(comment.text)
    if stray:
        cr = "\r" if "\r\n" in merged else ""
        ended = lines[-1] == ""
        if ended:
            lines.pop()
        else:
            lines[-1] += cr
        lines += [c + cr for c in stray] + [""]
        notes += [f"a comment the other side added lost its place and is kept at the end: {c}" for c in stray]
    return "\n".join(lines), notes


def _place(lines: list[str], theirs_lines: list[str], comment: Comment) -> bool:
    """Put one comment back where theirs had it, anchored by the code line it belongs to."""
    if comment.whole:
        following = next((_code(line) for line in theirs_lines[comment.line + 1 :] if _code(line)), None)
        if following is None:
            return False
        at = _unique(lines, following)
        if at is None:
            return False
        indent = len(lines[at]) - len(lines[at].lstrip(" "))
        cr = "\r" if lines[at].endswith("\r") else ""
        lines.insert(at, " " * indent + comment.text + cr)
        return True
    at = _unique(lines, comment.code)
    if at is None:
        return False
    line = lines[at]
    cr = "\r" if line.endswith("\r") else ""
    if _comment_at(line.rstrip("\r")) is not None:
        return False
    lines[at] = line.rstrip("\r") + " " + comment.text + cr
    return True


def _unique(lines: list[str], code: str) -> int | None:
    """The one line whose code (comment aside) is `code`."""
    found = [i for i, line in enumerate(lines) if _code(line) == code]
    return found[0] if len(found) == 1 else None


def _code(line: str) -> str:
    at = _comment_at(line)
    return (line if at is None else line[:at]).strip()
