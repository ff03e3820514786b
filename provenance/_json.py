"""Indented JSON, written as `json.dumps(value, ensure_ascii=False, indent=2)` writes it, faster.

The standard library encodes indented JSON in pure Python, through a
generator per nested value; a report of a hundred thousand claims holds
millions of values, and the generators cost more than everything else in
rendering it.  `dumps` writes the same text, byte for byte, with one call
per value: strings go through the standard library's own (C) string
encoder, numbers through their ``repr`` as `json` writes them.

>>> value = {"a": [1, 2.5, None], "b": {}, "c": "é\\n", "d": []}
>>> dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
True
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any

__all__ = ["dumps"]

_string = json.encoder.encode_basestring  # the C encoder where there is one
_STEP = "  "


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _string,
    int: int.__repr__,
    float: _number,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}


def dumps(value: Any, indent: str = "") -> str:
    """`value` as indented JSON, its first line at no indent and the rest at `indent`.

    Keys must be strings; values are dicts, lists, tuples, strings,
    numbers, booleans and None, as `json.dumps` takes them.

    Raises:
        TypeError: A value or a key that is none of these.
    """
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _number(value)
    inner = indent + _STEP
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"keys must be str, not {type(key).__name__}")
            scalar = _SCALARS.get(type(item))
            text = scalar(item) if scalar is not None else dumps(item, inner)
            items.append(f"{inner}{_string(key)}: {text}")
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return (
            "[\n" + ",\n".join(inner + dumps(item, inner) for item in value) + "\n" + indent + "]"
        )
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
