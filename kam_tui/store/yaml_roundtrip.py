"""The surgical editor's fallback: ruamel's round trip, for the edits the text editor cannot make.

Its result is checked by the caller like any edit (`yaml_edit.apply_edits`: the same data, only the
edited lines changed); imported only when needed, so the rare fallback alone pays for ruamel.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from kam_tui.store.yamlread import Path_


class RoundTripFailed(Exception):
    """ruamel could not read the file, so it cannot be rewritten this way either."""


_FLOW_LINE = re.compile(r"\r\n")


def roundtrip(text: str, edits: list[tuple[Path_, Any]]) -> str:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    crlf = "\r\n" in text
    try:
        data = yaml.load(text)
    except Exception as exc:  # ruamel raises many types; any means "cannot round-trip"
        raise RoundTripFailed(str(exc)) from None
    for path, value in edits:
        node = data
        for part in path[:-1]:
            if isinstance(node, dict) and node.get(part) is None:
                node[part] = CommentedMap()
            node = node[part]
        node[path[-1]] = value
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    return _FLOW_LINE.sub("\n", result).replace("\n", "\r\n") if crlf else result
