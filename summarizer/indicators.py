"""Canonical names for the common indicators, so reports compare across a folder.

INTERIM VERSION: a first table; to be extended.
"""

from __future__ import annotations

__all__ = ["canonical_name"]

_CANONICAL: dict[str, str] = {
    "公共财政预算收入": "一般公共预算收入",
    "一般公共预算收入": "一般公共预算收入",
    "一般公共财政预算收入": "一般公共预算收入",
    "公共财政收入": "一般公共预算收入",
}


def canonical_name(name: str) -> str | None:
    return _CANONICAL.get(name)
