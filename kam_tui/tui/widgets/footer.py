"""The footer of every screen: only the keys that fit whole before the palette key.

Textual's footer lets the keys run on beneath the palette key docked at the right edge. A key
cut at that edge showed a stray fragment ("r Rel", a lone "6"), and the keys hidden beneath it
cut its Chinese description in two ("^p   令": a wide character split at a key's edge is drawn
as spaces). Every key stays in `?` help and the palette.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer


class KeysFooter(Footer):
    """A footer that leaves out the keys it cannot show whole."""

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._leave_out_keys_that_do_not_fit)

    def on_resize(self, event: events.Resize) -> None:
        for key in self.query_children("FooterKey"):
            key.display = True
        self.call_after_refresh(self._leave_out_keys_that_do_not_fit)

    def _leave_out_keys_that_do_not_fit(self) -> None:
        keys = list(self.query_children("FooterKey"))
        edge = next((key.region.x for key in keys if key.has_class("-command-palette")), self.region.right)
        overflowing = False
        for key in keys:
            if key.has_class("-command-palette"):
                continue
            # once one key crosses the edge, every later key is beyond it (and may not be placed at all)
            overflowing = overflowing or key.region.right > edge
            key.display = not overflowing
