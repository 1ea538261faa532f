"""A local stand-in for Kolada API v3 on 127.0.0.1: serves recorded-shape responses (v3 envelope,
paging by next_url, the data item shape) and can be scripted to fail (429, 500, truncated JSON)."""

from __future__ import annotations

import json
from collections import defaultdict
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from tests.fake_http import JsonHandler, serve


class FakeKolada:
    def __init__(self, rows: list[dict], kpis: dict[str, dict], page_size: int = 5000,
                 groups: dict[str, dict] | None = None):
        self.groups = groups or {}
        self.rows = rows  # kpi, municipality, period, gender, value, count, status, isdeleted
        self.kpis = kpis
        self.page_size = page_size
        self.failures: dict[str, list[tuple[int, dict, str | None]]] = defaultdict(list)
        self.hits: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    def fail(self, path_prefix: str, status: int, times: int = 1, headers: dict | None = None,
             body: str | None = None) -> None:
        """The next ``times`` requests whose path starts with ``path_prefix`` get ``status``."""
        self.failures[path_prefix] += [(status, headers or {}, body)] * times

    def start(self) -> str:
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                fake.hits.append(self.path)
                url = urlparse(self.path)
                for prefix, queue in fake.failures.items():
                    if url.path.startswith(prefix) and queue:
                        status, headers, body = queue.pop(0)
                        self.send_json(status, body if body is not None else json.dumps({"error": status}), headers)
                        return
                doc = fake.respond(url.path, parse_qs(url.query), f"http://127.0.0.1:{self.server.server_port}")
                if doc is None:
                    self.send_json(404, json.dumps({"error": "not found"}))
                else:
                    self.send_json(200, json.dumps(doc, ensure_ascii=False))

        self.server = serve(Handler)
        return f"http://127.0.0.1:{self.server.server_port}/v3"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def _rows_for(self, kpis: set[str], munis: set[str]) -> list[dict]:
        # Row positions by (kpi, municipality), so national-size fakes answer fast; positions (not rows)
        # so a test may replace rows in place. Rebuilt when the list or its length changes.
        if getattr(self, "_index_of", None) is not self.rows or getattr(self, "_index_len", -1) != len(self.rows):
            self._index = defaultdict(list)
            for i, r in enumerate(self.rows):
                self._index[(r["kpi"], r["municipality"])].append(i)
            self._index_of, self._index_len = self.rows, len(self.rows)
        return [self.rows[i] for k in sorted(kpis) for m in sorted(munis) for i in self._index.get((k, m), [])]

    def respond(self, path: str, query: dict, origin: str) -> dict | None:
        parts = path.strip("/").split("/")[1:]  # drop 'v3'
        page = int(query.get("page", ["1"])[0])
        if parts[0] == "municipality_groups" and len(parts) == 2:
            values = [self.groups[i] for i in parts[1].split(",") if i in self.groups]
        elif parts[0] == "kpi" and len(parts) == 1:  # the whole KPI list
            values = [self.kpis[i] for i in sorted(self.kpis)]
        elif parts[0] == "kpi" and len(parts) == 2:
            values = [self.kpis[i] for i in parts[1].split(",") if i in self.kpis]
        elif parts[0] == "data" and parts[1] == "kpi" and parts[3] == "municipality" and parts[5] == "year":
            kpis, munis = set(parts[2].split(",")), set(parts[4].split(","))
            years = {int(y) for y in parts[6].split(",")}
            since = query.get("from_date", [""])[0]  # rows changed after that date (``updated``)
            items: dict[tuple, dict] = {}
            for r in self._rows_for(kpis, munis):
                if since and r.get("updated", "2000-01-01") <= since:
                    continue
                if r["period"] in years:
                    key = (r["kpi"], r["municipality"], r["period"])
                    item = items.setdefault(key, {"kpi": key[0], "municipality": key[1], "period": key[2],
                                                  "values": []})
                    item["values"].append({k: r[k] for k in ("gender", "count", "status", "value", "isdeleted")})
            values = list(items.values())
        else:
            return None
        start = (page - 1) * self.page_size
        chunk = values[start:start + self.page_size]
        doc = {"values": chunk, "count": len(chunk), "previous_url": None}
        if start + self.page_size < len(values):
            q = {k: v[0] for k, v in query.items()}
            q["page"] = page + 1
            doc["next_url"] = f"{origin}{path}?{urlencode(q)}"
        else:
            doc["next_url"] = ""
        return doc


def kpi_record(kpi_id: str, title: str, split: bool, description: str = "") -> dict:
    """A /kpi record with the field set of the real v3 catalogue."""
    return {"id": kpi_id, "title": title, "description": description or title, "is_divided_by_gender": split,
            "municipality_type": "K", "auspice": "T", "operating_area": "", "perspective": "Kvalitet och resultat",
            "prel_publication_date": None, "publication_date": "2026-09-25", "publ_period": "2026",
            "has_ou_data": False}
