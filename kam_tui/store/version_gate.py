"""The write path's check of `kam_version:` in kam.yaml (see `model.version`)."""

from __future__ import annotations

from kam_tui import __version__
from kam_tui.i18n import _
from kam_tui.model.errors import KamError
from kam_tui.model.version import parse_requirement, too_old
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.repository import SETTINGS_FILE, Repository
from kam_tui.store.yamlread import YamlProblem, parse_bytes


class KamTooOld(KamError):
    """The team's kam.yaml asks for a newer kam; nothing was written."""


def required_version(repo: Repository) -> str | None:
    """The `kam_version:` this kam does not satisfy, or None. Cheap when kam.yaml has none."""
    try:
        raw = read_regular(repo.root / SETTINGS_FILE)
    except Unreadable:
        return None
    if raw is None or b"kam_version" not in raw:
        return None
    try:
        data = parse_bytes(raw, positions=False).data
    except YamlProblem:
        return None
    wanted = data.get("kam_version") if isinstance(data, dict) else None
    required = parse_requirement(wanted)
    return str(wanted) if required is not None and too_old(__version__, required) else None


def refuse_if_too_old(repo: Repository) -> None:
    wanted = required_version(repo)
    if wanted is not None:
        raise KamTooOld(
            _("this repository's kam.yaml asks for kam {wanted}, and this is kam {version}; nothing saved").format(
                wanted=wanted, version=__version__
            ),
            hint=_("upgrade kam (then run `kam setup` so git's merge driver and hook use the new one)"),
        )
