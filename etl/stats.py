"""Confidence intervals, computed once in the ETL so the app only selects and draws."""

from __future__ import annotations

import numpy as np

Z95 = 1.959963984540054  # two-sided 95 %


def wilson_interval(share_pct, n):
    """Wilson 95 % interval for a share given in percent (0–100) and its respondents n.

    Vectorised; returns (low, high) in percent, NaN where n is missing or zero.
    """
    p = np.asarray(share_pct, dtype=float) / 100.0
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / denom
        low = np.where(n > 0, (centre - half) * 100, np.nan)
        high = np.where(n > 0, (centre + half) * 100, np.nan)
    return low, high
