"""Writes catalogue, areas, groups, provenance and observations into a (staging) store."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, text, update

from catalogue.schema import plural_label
from etl.catalogue import Catalogue
from store import schema

OBS_COLUMNS = ["indicator_id", "area_id", "year", "gender", "value", "n", "ci_low", "ci_high",
               "status", "status_reason"]


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class StoreWriter:
    """One build run against one engine. Call ``create`` on a new file, then the ``write_*`` methods."""

    def __init__(self, engine: Engine, kind: str, command: str):
        self.engine = engine
        self.kind = kind
        self.command = command
        self.run_id: int | None = None

    def create(self, is_demo: bool) -> None:
        schema.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            conn.execute(insert(schema.meta), [
                {"key": "schema_version", "value": schema.SCHEMA_VERSION},
                {"key": "is_demo", "value": "1" if is_demo else "0"},
                {"key": "built_at", "value": now_iso()},
                {"key": "build_id", "value": uuid.uuid4().hex},
            ])

    def start_run(self) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(insert(schema.build_run).values(
                kind=self.kind, command=self.command, started_at=now_iso(), status="running"))
            self.run_id = int(res.inserted_primary_key[0])
        return self.run_id

    def finish_run(self, summary: dict, status: str = "ok") -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.indicator_coverage))
            conn.execute(text(
                "INSERT INTO indicator_coverage (indicator_id, fetch_id, first_year, last_year, rows, suppressed) "
                "SELECT indicator_id, fetch_id, MIN(year), MAX(year), COUNT(*), "
                "SUM(CASE WHEN status = 'suppressed' THEN 1 ELSE 0 END) "
                "FROM observation GROUP BY indicator_id, fetch_id"))
            conn.execute(update(schema.build_run).where(schema.build_run.c.id == self.run_id).values(
                finished_at=now_iso(), status=status, summary=json.dumps(summary, ensure_ascii=False)))

    def add_fetch(self, source: str, what: str, rows: int, is_demo: bool, note: str | None = None,
                  fetched_at: str | None = None) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(insert(schema.source_fetch).values(
                run_id=self.run_id, source=source, what=what, fetched_at=fetched_at or now_iso(),
                rows=rows, is_demo=is_demo, note=note))
            return int(res.inserted_primary_key[0])

    def write_areas(self, areas: pd.DataFrame) -> None:
        cols = [c.name for c in schema.area.columns]
        rows = areas.reindex(columns=cols).astype(object).where(areas.reindex(columns=cols).notna(), None)
        with self.engine.begin() as conn:
            conn.execute(insert(schema.area), rows.to_dict("records"))

    def write_indicators(self, indicators: list[dict]) -> None:
        rows = [indicator_row(i) for i in indicators]
        breaks = [{"indicator_id": i["id"], "year": b["year"], "description": b["description"],
                   "areas": ",".join(b["areas"]) if b.get("areas") else None}
                  for i in indicators for b in i.get("series_breaks", [])]
        with self.engine.begin() as conn:
            conn.execute(insert(schema.indicator), rows)
            if breaks:  # declared in the catalogue (a changed definition or method)
                conn.execute(insert(schema.series_break), breaks)
            notes = self._method_notes(conn, indicators)
            if notes:
                conn.execute(insert(schema.method_note), notes)

    @staticmethod
    def _method_notes(conn, indicators: list[dict]) -> list[dict]:
        """Catalogue method notes, a county expanded to itself and its municipalities (areas written first)."""
        if not any(i.get("method_notes") for i in indicators):
            return []
        children: dict[str, list[str]] = {}
        for aid, parent in conn.execute(text("SELECT id, parent_id FROM area WHERE kind = 'municipality'")):
            children.setdefault(parent, []).append(aid)
        out: dict[tuple[str, str], str] = {}
        for i in indicators:
            for note in i.get("method_notes", []):
                for a in note["areas"]:
                    for area in (["*"] if a == "default" else [a, *children.get(a, [])]):
                        out[(i["id"], area)] = note["text"]
        return [{"indicator_id": k[0], "area_id": k[1], "text": v} for k, v in sorted(out.items())]

    def write_groups(self, groups: list[dict]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.area_group), [
                {"id": g["id"], "title": g["title"], "municipality_id": g["municipality_id"],
                 "source": g["source"], "is_demo": g["is_demo"]} for g in groups])
            members = [{"group_id": g["id"], "area_id": m} for g in groups for m in g["members"]]
            if members:  # an empty list would insert one row of defaults
                conn.execute(insert(schema.area_group_member), members)

    def write_annotations(self, cat: Catalogue) -> None:
        """The catalogue's local notes; examples (``example: true``) only into a demo store."""
        rows = []
        for s in cat.strategies:
            fa_ids = {fa["id"]: f"{s['id']}.{fa['id']}" for fa in s["focus_areas"]}
            for n in cat.annotations:
                if n["municipality_id"] != s["municipality_id"] or (n.get("example") and self.kind != "demo"):
                    continue
                rows.append({"municipality_id": n["municipality_id"], "indicator_id": n.get("indicator"),
                             "focus_area_id": fa_ids.get(n["focus_area"]) if "focus_area" in n else None,
                             "year": n["year"], "text": n["text"], "source": n.get("source"),
                             "is_example": bool(n.get("example", False))})
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(schema.annotation), rows)

    def write_strategies(self, cat: Catalogue) -> None:
        self._write_strategies(cat)
        self.write_annotations(cat)

    def _write_strategies(self, cat: Catalogue) -> None:
        with self.engine.begin() as conn:
            for s in cat.strategies:
                sid = s["id"]
                conn.execute(insert(schema.strategy).values(
                    id=sid, municipality_id=s["municipality_id"], title=s["title"],
                    description=s.get("description"), period_start=s["period"][0],
                    period_end=s["period"][1], baseline_year=s["baseline_year"],
                    county_id=s["county_id"], focus_area_label=s.get("focus_area_label", "Fokusområde"),
                    focus_area_plural=plural_label(s.get("focus_area_label", "Fokusområde"),
                                                   s.get("focus_area_plural")),
                    sources="\n".join(s["sources"])))
                for fpos, fa in enumerate(s["focus_areas"]):
                    fid = f"{sid}.{fa['id']}"
                    conn.execute(insert(schema.focus_area).values(
                        id=fid, strategy_id=sid, position=fpos, code=fa["code"], title=fa["title"],
                        subtitle=fa.get("subtitle"), kind=fa["kind"], description=fa.get("description"),
                        agenda2030=",".join(str(n) for n in fa.get("agenda2030", [])) or None))
                    actions = [{"focus_area_id": fid, "position": apos, "code": a["code"],
                                "title": a["title"], "text": a.get("text")}
                               for apos, a in enumerate(fa.get("actions", []))]
                    if actions:
                        conn.execute(insert(schema.focus_area_action), actions)
                    for gpos, g in enumerate(fa["goals"]):
                        gid = f"{sid}.{g['id']}"
                        conn.execute(insert(schema.goal).values(
                            id=gid, focus_area_id=fid, position=gpos, code=g["code"], title=g["title"],
                            description=g.get("description"), origin=g.get("origin")))
                        conn.execute(insert(schema.goal_indicator), [
                            {"goal_id": gid, "indicator_id": gi["id"], "position": ipos,
                             "label": gi.get("label"), "is_primary": bool(gi.get("primary", False)),
                             "target_value": (gi.get("target") or {}).get("value"),
                             "target_year": (gi.get("target") or {}).get("year"),
                             "target_direction": (gi.get("target") or {}).get("direction"),
                             "target_source": (gi.get("target") or {}).get("source")}
                            for ipos, gi in enumerate(g["indicators"])])

    def write_factors(self, cat: Catalogue) -> None:
        with self.engine.begin() as conn:
            for pos, f in enumerate(cat.factors):
                conn.execute(insert(schema.factor).values(
                    id=f["id"], name=f["name"], type=f["type"], level=f["level"],
                    category=f["category"], description=f.get("description"),
                    source=cat.factor_source, position=pos))
                conn.execute(insert(schema.factor_indicator), [
                    {"factor_id": f["id"], "indicator_id": i, "position": ipos}
                    for ipos, i in enumerate(f["indicators"])])

    def write_series_breaks(self, breaks: list[dict]) -> None:
        if breaks:
            with self.engine.begin() as conn:
                conn.execute(insert(schema.series_break), breaks)

    def write_history(self, publications: list[dict], changes: pd.DataFrame) -> None:
        """Earlier versions and their changes written by the builder itself (the demo's simulated history)."""
        with self.engine.begin() as conn:
            if publications:
                conn.execute(insert(schema.publication), publications)
            if not changes.empty:
                rows = changes.astype(object).where(changes.notna(), None).to_dict("records")
                conn.execute(insert(schema.revision), rows)

    def write_observations(self, obs: pd.DataFrame, fetch_id: int, chunk: int = 50_000) -> int:
        """Insert observations (columns OBS_COLUMNS); asserts the invariants the store relies on."""
        df = obs[OBS_COLUMNS].copy()
        # A hidden cell publishes nothing about itself: whatever a source sent, no value, interval or n.
        df.loc[df["status"] == "suppressed", ["value", "ci_low", "ci_high", "n"]] = None
        check_observations(df)
        df["fetch_id"] = fetch_id
        df = df.astype(object).where(df.notna(), None)
        records = df.to_dict("records")
        with self.engine.begin() as conn:
            for start in range(0, len(records), chunk):
                conn.execute(insert(schema.observation), records[start:start + chunk])
        return len(records)


def indicator_row(i: dict) -> dict:
    return {
        "id": i["id"], "title": i["title"], "short_title": i["short_title"],
        "definition": i["definition"], "unit": i["unit"], "decimals": i["decimals"],
        "polarity": i["polarity"], "gender_split": i["gender_split"],
        "gender_labels": i.get("gender_labels"), "source": i["source"],
        "source_name": i["source_name"], "source_id": i.get("source_id"), "kind": i["kind"],
        "suppression_threshold": i.get("suppression_threshold"), "age_group": i.get("age_group"),
        "levels": ",".join(i["levels"]), "risk_protective": i.get("risk_protective"),
        "note": i.get("note"),
        "moving_average": (i.get("series") or {}).get("moving_average"),
        "repeated_years": (i.get("series") or {}).get("repeated"),
        "population_kpi": i.get("population_kpi"),
    }


class InvariantError(ValueError):
    """An observation batch broke a rule every store keeps; raised (not asserted), so that it also holds
    under ``python -O``. The message says which rule, in Swedish."""


def check_observations(obs: pd.DataFrame) -> None:
    """The invariants every observation batch must meet before it is written."""
    hidden = obs.loc[obs["status"] == "suppressed", ["value", "ci_low", "ci_high", "n"]]
    rules = [
        (set(obs["gender"].unique()) <= set(schema.GENDERS), "okända könskoder"),
        (set(obs["status"].unique()) <= set(schema.STATUSES), "okända statusvärden"),
        (not obs.duplicated(["indicator_id", "area_id", "year", "gender"]).any(), "dubblettnycklar"),
        (obs.loc[obs["status"] != "ok", "value"].isna().all(), "värde på undertryckt/saknad cell"),
        (obs.loc[obs["status"] == "ok", "value"].notna().all(), "ok-cell utan värde"),
        (hidden.isna().all().all(), "undertryckt cell med värde, intervall eller antal"),
    ]
    broken = [text for ok, text in rules if not ok]
    if broken:
        raise InvariantError("observationerna bryter mot databasens regler: " + "; ".join(broken))
