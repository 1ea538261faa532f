"""One rounding rule for every number shown or exported: halves away from zero, as Swedish official
statistics (SCB) round, on the decimal text of the value (Python's round() and format() round halves to
even and work on the binary value: 58.5 → 58, 2.675 → 2.67)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd


def half_away(value, decimals: int = 1) -> float:
    """58.5 → 59.0, 72.5 → 73.0, −2.5 → −3.0, 0.125 → 0.13 (2 decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def series_half_away(values: pd.Series, decimals) -> pd.Series:
    """``half_away`` over a column; ``decimals`` a number or a column of numbers (per row)."""
    decs = decimals if isinstance(decimals, pd.Series) else pd.Series(decimals, index=values.index)
    return pd.Series([half_away(v, int(d)) if pd.notna(v) else float("nan") for v, d in zip(values, decs, strict=True)],
                     index=values.index, dtype=float)
