"""What the scoring commands share: the snapshot they read (now, or at a revision), every
account of it scored as one portfolio, and the lines they print around it."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from kam_tui.cli.output import clean, note
from kam_tui.i18n import _
from kam_tui.store.repository import Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).
if TYPE_CHECKING:
    from kam_tui.model.evaluate import Evaluation
    from kam_tui.store.snapshot import Snapshot


def load_now(args: argparse.Namespace) -> Snapshot:
    from kam_tui.store.snapshot import load_now

    return load_now(Repository.find(args.repo), args.today)


def load_at(args: argparse.Namespace, ref: str, start_of_day: bool = False) -> Snapshot:
    from kam_tui.store.snapshot import load_at

    return load_at(Repository.find(args.repo), ref, args.today, start_of_day=start_of_day)


def evaluate(snap: Snapshot) -> list[Evaluation]:
    """Every account of the snapshot scored as one portfolio (the GC paused while it is built)."""
    from kam_tui.model.evaluate import evaluate_facts
    from kam_tui.store.gcpause import bulk

    with bulk():
        return evaluate_facts(snap.facts, snap.settings.scoring, snap.today)


def filtered(args: argparse.Namespace) -> bool:
    return bool(args.risk or args.owner or args.stage or args.tier or args.severity)


def skipped_note(snapshot: Snapshot) -> None:
    if snapshot.skipped:
        note(
            _("{n} account file(s) skipped because of errors; run `kam validate` for details").format(
                n=snapshot.skipped
            )
        )


def fmt_score(score: float | None) -> str:
    return "–" if score is None else f"{score:.1f}"


def plain_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return clean(value)
