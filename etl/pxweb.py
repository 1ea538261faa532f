"""SCB PxWeb API v2 client (POST /tables/{id}/data, json-stat2) and a json-stat2 unpacker.

Base URL from ``PXWEB_BASE_URL`` (default https://statistikdatabasen.scb.se/api/v2). Raw responses are
cached on disk with their fetch time; throttle, retries and failures come from the shared HTTP source base
(``etl.sources.http``).
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field

import pandas as pd
import requests

from etl.sources.http import TIMEOUT_S, HttpSource, SourceError

DEFAULT_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
BASE_URL_ENV = "PXWEB_BASE_URL"
DEFAULT_INTERVAL_S = 10 / 30  # SCB: "30 anrop per 10 sekunder"


def unpack_jsonstat2(doc: dict) -> pd.DataFrame:
    """A json-stat2 dataset → one row per cell: a code and a label column per dimension, ``value`` and
    ``status`` (SCB marks suppressed cells ``..`` in ``status`` with a null value)."""
    if doc.get("class") != "dataset" or "id" not in doc or "dimension" not in doc:
        raise SourceError("SCB svarade inte med ett json-stat2-dataset (class/id/dimension saknas)")
    dims = doc["id"]
    cats = []
    for d in dims:
        index = doc["dimension"][d]["category"]["index"]
        codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        labels = doc["dimension"][d]["category"].get("label", {})
        cats.append([(c, labels.get(c, c)) for c in codes])
    sizes = [len(c) for c in cats]
    if sizes != list(doc.get("size", sizes)):
        raise SourceError("json-stat2: size stämmer inte med dimensionerna")
    values = doc.get("value", [])
    if isinstance(values, dict):  # sparse form
        total = 1
        for s in sizes:
            total *= s
        values = [values.get(str(i)) for i in range(total)]
    status = doc.get("status") or {}
    if isinstance(status, list):
        status = {str(i): s for i, s in enumerate(status) if s}
    rows = []
    for i, combo in enumerate(itertools.product(*cats)):  # row-major: the last dimension varies fastest
        row = {}
        for d, (code, label) in zip(dims, combo, strict=True):
            row[d] = code
            row[f"{d}_label"] = label
        row["value"] = values[i] if i < len(values) else None
        row["status"] = status.get(str(i))
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class PxWebClient(HttpSource):
    """SCB PxWeb API v2 on the shared HTTP source base (cache with fetch times, throttle, retries)."""

    name = "SCB"
    cache_subdir = "pxweb"

    base_url: str = field(default_factory=lambda: os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/"))
    min_interval_s: float | None = None  # None: from the API's /config (SCB: 30 calls per 10 s)

    def interval(self) -> float:
        """Seconds between calls, from ``GET /config`` (``maxCallsPerTimeWindow`` per ``timeWindow``), read
        once; SCB's published 30 calls per 10 s when /config cannot be read."""
        if self.min_interval_s is None:
            try:
                cfg = self.session.get(f"{self.base_url}/config", timeout=TIMEOUT_S).json()
                self.min_interval_s = float(cfg["timeWindow"]) / float(cfg["maxCallsPerTimeWindow"])
            except (requests.RequestException, ValueError, KeyError, TypeError, ZeroDivisionError):
                self.min_interval_s = DEFAULT_INTERVAL_S
        return self.min_interval_s

    def table(self, table_id: str, selection: dict[str, list[str]]) -> pd.DataFrame:
        """POST a selection ({variable: [codes]}, wildcards allowed) and return the unpacked cells (a new
        answer is checked before it is cached)."""
        url = f"{self.base_url}/tables/{table_id}/data?lang=sv&outputFormat=json-stat2"
        body = {"selection": [{"variableCode": k, "valueCodes": v} for k, v in selection.items()]}
        key = url + json.dumps(body, sort_keys=True)
        doc = self.fetch(key, url, body=body, check=unpack_jsonstat2, what=table_id)
        return unpack_jsonstat2(doc)
