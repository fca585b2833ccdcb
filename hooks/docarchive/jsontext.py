"""JSON as ``json.dumps(value, ensure_ascii=False, indent=1)`` writes it, character for character, faster.

The standard library writes indented JSON with its pure-Python encoder (its C
encoder has no indent): generators, several times slower than writing it
directly. Pages' JSON-LD and the archive's thousands of downloads (the
citations' CSL-JSON, the data package's tables) are written here.
"""

from __future__ import annotations

import json
from typing import Any


class Unusual(Exception):
    """A value ``indented_json`` leaves to the standard library."""


_STRING = json.encoder.encode_basestring  # a string as json.dumps(..., ensure_ascii=False) writes it (in C)
_CONSTANTS = {None: "null", True: "true", False: "false"}


def indented_json(value: Any, margin: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)``, character for character, written directly: the
    library's indented encoder is pure Python generators, several times slower (tests/test_page_speed.py).
    The exact types come first (the archive's values), subclasses after, as the library treats them."""
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is int:
        return int.__repr__(value)
    inner = margin + " "
    if kind is dict or isinstance(value, dict):
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise Unusual  # the library turns some keys into strings: let it
            items.append(f"{inner}{_STRING(key)}: {indented_json(item, inner)}")
        return "{\n" + ",\n".join(items) + f"\n{margin}}}" if items else "{}"
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        items = [inner + indented_json(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + f"\n{margin}]" if items else "[]"
    if value is None or kind is bool:
        return _CONSTANTS[value]
    if isinstance(value, (str, int, float)):  # floats (NaN...), subclasses: as the library writes them
        return json.dumps(value)
    raise Unusual


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)``; what ``indented_json`` leaves, by the library."""
    try:
        return indented_json(value)
    except Unusual:
        return json.dumps(value, ensure_ascii=False, indent=1)
