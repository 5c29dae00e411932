"""The other side's comment changes survive a merge. A merge that starts from ours' text keeps
ours' comments but would silently drop whatever theirs did to comments (measured): a comment
added, edited or removed. Each of their changes is carried over: an edit replaces the comment
where ours still has it as it was, a removal removes it there, an addition goes beside the line
it was written beside. Nothing is duplicated (an edit is not also an addition) and nothing is
lost: when both sides changed one comment both texts stay, and a comment whose line is gone
goes to the end of the file; both are reported.

A comment theirs only moved (same text, away from both lines around it, or to another line's end)
moves where ours still has it as base had it; when ours moved or removed it too, or its new place is
gone, ours' version stands and the move is reported.

Lines of two versions are matched by their code (a comment-only line by its comment), so a
comment is found again where the other version has it even when lines around it changed."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from typing import NamedTuple

from kam_tui.i18n import _
from kam_tui.store.yamlread import Document


class Comment(NamedTuple):
    line: int  # 0-based
    text: str  # from the '#' on
    whole: bool  # a line of its own (else after a value)
    code: str  # the line without the comment, stripped


def comments(text: str) -> list[Comment]:
    """Every comment of a YAML text (a '#' at a line's start or after a space, outside quotes)."""
    return [c for number, line in enumerate(text.split("\n")) if (c := comment_of(number, line)) is not None]


def comment_of(number: int, line: str) -> Comment | None:
    at = _comment_at(line)
    if at is None:
        return None
    code = line[:at].strip()
    return Comment(number, line[at:].rstrip("\r").rstrip(), not code, code)


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
    """`merged` with theirs' comment changes since `base` applied; notes for what needs a look."""
    base_lines, theirs_lines = base.split("\n"), theirs.text.split("\n")
    moved = _Moves(base_lines, theirs_lines, merged.split("\n"))
    lines, notes = moved.carried()
    if [c.text for c in comments(base)] == [c.text for c in comments(theirs.text)]:
        return "\n".join(lines), notes
    lines, settled, more = _edit_and_remove(base_lines, theirs_lines, lines, moved.base_lines)
    return _add(base_lines, theirs_lines, lines, settled | moved.theirs_lines, notes + more)


class _Moves:
    """Theirs' comments that only moved: each goes where theirs put it, taken from where merged has
    it as base had it. `base_lines` / `theirs_lines`: the moved comments' lines, settled here."""

    def __init__(self, base: list[str], theirs: list[str], merged: list[str]) -> None:
        self.base, self.theirs, self.merged = base, theirs, merged
        self.base_lines: set[int] = set()
        self.theirs_lines: set[int] = set()
        self.notes: list[str] = []
        self.drop: dict[int, str | None] = {}  # merged line → the line without the comment (None: gone)
        self.inserts: list[tuple[int, str]] = []  # (merged line to insert before, the line)
        self.appends: dict[int, str] = {}  # merged line → theirs' line whose comment goes at its end
        self.staying: dict[int, int] = {}  # theirs' comment lines that stay put → where merged has them

    def carried(self) -> tuple[list[str], list[str]]:
        """Merged's lines with the moves done, and the notes."""
        base_comments = comments("\n".join(self.base))
        if not base_comments:
            return self.merged, []
        once = _once(base_comments, comments("\n".join(self.theirs)), comments("\n".join(self.merged)))
        to_theirs = code_map(self.base, self.theirs)
        to_merged = code_map(self.base, self.merged)
        from_theirs = code_map(self.theirs, self.merged)
        moves = []
        for old in base_comments:
            new, here = once.get(old.text, (None, None))
            if new is not None and _moved(self.base, old, self.theirs, new, to_theirs):
                self.base_lines.add(old.line)
                self.theirs_lines.add(new.line)
                moves.append((old, new, here))
        self.staying = {
            new.line: here.line for new, here in once.values() if here is not None and new.line not in self.theirs_lines
        }
        for old, new, here in sorted(moves, key=lambda move: move[1].line):
            self._move(old, new, here, to_merged, from_theirs)
        return self._apply(), self.notes

    def _move(
        self, old: Comment, new: Comment, here: Comment | None, to_merged: dict[int, int], from_theirs: dict[int, int]
    ) -> None:
        if here is None:
            self.notes.append(_("ours removed a comment the other side moved: {comment}").format(comment=old.text))
            return
        target = self._target(new, from_theirs)
        if _moved(self.base, old, self.merged, here, to_merged):
            if target != self._place_of(here):
                self.notes.append(
                    _("both sides moved a comment; it stays where ours has it: {comment}").format(comment=old.text)
                )
            return
        if target is None or (not new.whole and _comment_at(self.merged[target]) is not None):
            self.notes.append(
                _("a comment the other side moved has no place here and stays where it was: {comment}").format(
                    comment=old.text
                )
            )
            return
        line = self.merged[here.line]
        self.drop[here.line] = None if here.whole else _without_comment(line)
        if new.whole:
            self.inserts.append((target, self.theirs[new.line].rstrip("\r")))
        else:
            self.appends[target] = self.theirs[new.line]

    def _target(self, new: Comment, from_theirs: dict[int, int]) -> int | None:
        """Where theirs' comment goes in merged: before the line it stands above (a code line, or a
        comment line that stays), or the line it ends."""
        if not new.whole:
            at = from_theirs.get(new.line)
            return at if at is not None else _unique(self.merged, new.code)
        for number in range(new.line + 1, len(self.theirs)):
            if _code(self.theirs[number]):
                at = from_theirs.get(number)
                return at if at is not None else _unique(self.merged, _code(self.theirs[number]))
            if number in self.staying:
                return self.staying[number]
        return len(self.merged) - 1 if self.merged[-1] == "" else None

    def _place_of(self, here: Comment) -> int | None:
        """Where ours has the comment, in the terms of `_target`."""
        if not here.whole:
            return here.line
        following = next((n for n in range(here.line + 1, len(self.merged)) if self.merged[n].strip()), None)
        return following if following is not None else len(self.merged) - 1

    def _apply(self) -> list[str]:
        cr = "\r" if self.merged[0].endswith("\r") else ""
        before: dict[int, list[str]] = {}
        for at, line in self.inserts:
            before.setdefault(at, []).append(line + cr)
        out: list[str] = []
        for number, line in enumerate(self.merged):
            out += before.get(number, [])
            kept: str | None = self.drop.get(number, line)
            if kept is not None:
                out.append(_appended(kept, self.appends[number]) if number in self.appends else kept)
        return out


def _once(*versions: list[Comment]) -> dict[str, tuple[Comment, Comment | None]]:
    """For each comment text found once in base, once in theirs and at most once in merged:
    theirs' comment and merged's (None when merged has none)."""
    base, theirs, merged = (Counter(c.text for c in version) for version in versions)
    found: dict[str, tuple[Comment, Comment | None]] = {}
    for comment in versions[1]:
        if base[comment.text] == 1 and theirs[comment.text] == 1 and merged[comment.text] <= 1:
            found[comment.text] = (comment, next((c for c in versions[2] if c.text == comment.text), None))
    return found


def code_map(a: list[str], b: list[str]) -> dict[int, int]:
    """`line_map` of the code lines only: a comment line that moved cannot pull the lines around
    it out of line."""
    code_a = [n for n, line in enumerate(a) if _code(line)]
    code_b = [n for n, line in enumerate(b) if _code(line)]
    found = line_map([a[n] for n in code_a], [b[n] for n in code_b])
    return {code_a[i]: code_b[j] for i, j in found.items()}


def _moved(base: list[str], old: Comment, other: list[str], new: Comment, to_other: dict[int, int]) -> bool:
    """The same comment moved from base to the other version: an end-of-line comment to another
    line (or to one of its own), a comment line away from both code lines around it (both still
    there; a key added beside it is no move)."""
    if not old.whole or not new.whole:
        return old.whole != new.whole or to_other.get(old.line) != new.line
    around_old = _around(base, old.line)
    around_new = _around(other, new.line)
    mapped = [to_other.get(n) if n is not None else None for n in around_old]
    if any(n is not None and m is None for n, m in zip(around_old, mapped)):
        return False
    return all(m != n for m, n in zip(mapped, around_new))


def _around(lines: list[str], number: int) -> tuple[int | None, int | None]:
    """The code lines before and after a comment line (None at the file's start / end)."""
    before = next((n for n in range(number - 1, -1, -1) if _code(lines[n])), None)
    after = next((n for n in range(number + 1, len(lines)) if _code(lines[n])), None)
    return before, after


def _edit_and_remove(
    base_lines: list[str], theirs_lines: list[str], merged_lines: list[str], moved: set[int]
) -> tuple[list[str], set[int], list[str]]:
    """Theirs' edits and removals of base's comments, done where merged still has them as base
    had them. Returns the lines, theirs' lines whose comment is settled (kept as in base, or its
    edit is in) and notes. `moved`: base's comments theirs moved, already carried."""
    lines: list[str | None] = list(merged_lines)
    to_theirs, to_merged = line_map(base_lines, theirs_lines), line_map(base_lines, merged_lines)
    base_comments = [c for c in comments("\n".join(base_lines)) if c.line not in moved]
    fewer = Counter(c.text for c in base_comments)
    fewer.subtract(c.text for c in comments("\n".join(theirs_lines)))  # how many of a text theirs removed
    settled: set[int] = set()
    notes: list[str] = []
    for old in base_comments:
        new = _at(theirs_lines, to_theirs.get(old.line))
        if new is not None and new.text == old.text:
            settled.add(new.line)  # theirs kept it
            continue
        at = to_merged.get(old.line)
        there = _at(merged_lines, at)
        unchanged = there is not None and there.text == old.text and there.whole == old.whole
        if new is not None and new.whole == old.whole:  # theirs edited it
            if at is not None and unchanged:
                lines[at] = _replaced(merged_lines[at], new.text)
                settled.add(new.line)
            elif old.whole and there is not None and there.whole and there.text != new.text:  # inline: see _add
                notes.append(
                    _("both sides changed a comment, both are kept: {ours} | {theirs}").format(
                        ours=there.text, theirs=new.text
                    )
                )
        elif fewer[old.text] > 0:  # theirs removed it
            fewer[old.text] -= 1
            if at is not None and unchanged:
                lines[at] = None if old.whole else _without_comment(merged_lines[at])
    return [line for line in lines if line is not None], settled, notes


def _add(
    base_lines: list[str], theirs_lines: list[str], lines: list[str], settled: set[int], notes: list[str]
) -> tuple[str, list[str]]:
    """Theirs' new comments that merged still lacks (the merge may have brought one with the lines
    of a key theirs added), each beside the line it was written beside."""
    theirs_comments = comments("\n".join(theirs_lines))
    need = Counter(c.text for c in theirs_comments)
    have_base = Counter(c.text for c in comments("\n".join(base_lines)))
    have_merged = Counter(c.text for c in comments("\n".join(lines)))
    for text in need:
        need[text] -= max(have_base[text], have_merged[text])
    to_merged = line_map(theirs_lines, lines)
    inserts: list[tuple[int, int, str]] = []  # (merged line to insert before, theirs' line, the line)
    stray: list[str] = []
    for comment in theirs_comments:
        if comment.line in settled or need[comment.text] <= 0:
            continue
        need[comment.text] -= 1
        mine = theirs_lines[comment.line].rstrip("\r")
        at = (
            _whole_place(theirs_lines, comment.line, to_merged, lines) if comment.whole else to_merged.get(comment.line)
        )
        if at is None and not comment.whole:
            at = _unique(lines, comment.code)
        if at is None:
            stray.append(comment.text)
        elif comment.whole:
            inserts.append((at, comment.line, mine))
        elif _comment_at(lines[at]) is None:
            lines[at] = _appended(lines[at], mine)
        else:
            indent = len(lines[at]) - len(lines[at].lstrip(" "))
            inserts.append((at, comment.line, " " * indent + comment.text))
            notes.append(
                _("both sides commented one line; theirs is kept on its own line above: {comment}").format(
                    comment=comment.text
                )
            )
    cr = "\r" if lines[0].endswith("\r") else ""
    for at, _theirs_line, line in sorted(inserts, reverse=True):
        lines.insert(at, line + cr)
    if stray:
        if lines[-1] == "":
            lines.pop()
        else:
            lines[-1] += cr
        lines += [c + cr for c in stray] + [""]
        notes += [
            _("a comment the other side added lost its place and is kept at the end: {comment}").format(comment=c)
            for c in stray
        ]
    return "\n".join(lines), notes


def line_map(a: list[str], b: list[str]) -> dict[int, int]:
    """Which line of `b` each line of `a` is: equal code (a comment-only line: equal comment), or
    in a run changed line for line, the line in the same place that sets the same key."""
    matcher = SequenceMatcher(a=[_key(line) for line in a], b=[_key(line) for line in b], autojunk=False)
    found: dict[int, int] = {}
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            found.update(zip(range(a1, a2), range(b1, b2)))
        elif tag == "replace" and a2 - a1 == b2 - b1:
            found.update((i, j) for i, j in zip(range(a1, a2), range(b1, b2)) if _same_slot(a[i], b[j]))
    return found


def _key(line: str) -> str:
    return _code(line) or line.strip()


def _same_slot(a: str, b: str) -> bool:
    """Two lines in the same place that are both comment-only, or both set the same key."""
    code_a, code_b = _code(a), _code(b)
    if not code_a or not code_b:
        return not code_a and not code_b and bool(a.strip()) and bool(b.strip())
    return code_a.partition(":")[0] == code_b.partition(":")[0]


def _at(lines: list[str], number: int | None) -> Comment | None:
    return None if number is None else comment_of(number, lines[number])


def _whole_place(theirs_lines: list[str], number: int, to_merged: dict[int, int], lines: list[str]) -> int | None:
    """Where a comment line of theirs goes in merged: above the code line it stood above (at the
    end when it stood after all code)."""
    following = next((n for n in range(number + 1, len(theirs_lines)) if _code(theirs_lines[n])), None)
    if following is None:
        return len(lines) - 1 if lines[-1] == "" else None
    at = to_merged.get(following)
    return at if at is not None else _unique(lines, _code(theirs_lines[following]))


def _replaced(line: str, text: str) -> str:
    """The line with its comment's text replaced (code, spacing and line end kept)."""
    at = _comment_at(line)
    assert at is not None
    return line[:at] + text + ("\r" if line.endswith("\r") else "")


def _without_comment(line: str) -> str:
    at = _comment_at(line)
    assert at is not None
    return line[:at].rstrip() + ("\r" if line.endswith("\r") else "")


def _appended(line: str, theirs_line: str) -> str:
    """`line` with theirs' comment after its code, spaced as theirs spaced it."""
    at = _comment_at(theirs_line)
    assert at is not None
    gap = theirs_line[len(theirs_line[:at].rstrip()) : at]
    cr = "\r" if line.endswith("\r") else ""
    return line.rstrip("\r").rstrip() + gap + theirs_line[at:].rstrip() + cr


def _unique(lines: list[str], code: str) -> int | None:
    """The one line whose code (comment aside) is `code`."""
    found = [i for i, line in enumerate(lines) if _code(line) == code]
    return found[0] if len(found) == 1 else None


def _code(line: str) -> str:
    at = _comment_at(line)
    return (line if at is None else line[:at]).strip()
