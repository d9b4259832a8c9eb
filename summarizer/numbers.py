"""Numbers as these reports write them: 4.01亿元, 3061万元, 增长-7.8%, 百分之十, 二十余家 …

INTERIM VERSION: only `value_in_quote`, whose meaning is fixed by SPEC; the parser is to be built.
"""

from __future__ import annotations

__all__ = ["number_forms", "value_in_quote"]


def number_forms(value: float) -> set[str]:
    """Ways `value` can be written in Arabic digits (4.01, 4.010 → "4.01"; 5.0 → "5")."""
    forms = {repr(value), str(value), f"{value:g}"}
    if float(value).is_integer():
        forms.add(str(int(value)))
    forms |= {f.rstrip("0").rstrip(".") for f in list(forms) if "." in f}
    return {f for f in forms if f}


def value_in_quote(value: float, quote: str) -> bool:
    """SPEC: a metric's value must be written inside its own quote."""
    return any(f in quote for f in number_forms(float(value)))
