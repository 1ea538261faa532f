"""Loads values in Kolada's shape (kpi, municipality, year, gender, value, count, status) into the store.

Kolada's status codes map to ours: ``""`` → ok, ``Privacy`` → suppressed, ``Missing`` → missing,
``Not applicable`` → missing (reason kept). Values are stored exactly as given. The load goes through a
staging copy of the store, checked and swapped in atomically like every build.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, select, tuple_

from etl.catalogue import load_catalogue
from etl.publish import staged
from etl.writer import OBS_COLUMNS, StoreWriter, now_iso
from store import files, schema
from store.db import write_engine

log = logging.getLogger(__name__)

STATUS_MAP = {"": ("ok", None), "Privacy": ("suppressed", "Kolada: Privacy (röjandeskydd)"),
              "Missing": ("missing", "Kolada: Missing"),
              "Not applicable": ("missing", "Kolada: Not applicable (ej tillämplig)")}
KOLADA_SOURCE = "Kolada (RKA), API v3"


def kolada_status(raw: str | None) -> tuple[str, str | None]:
    """Our (status, reason) for a Kolada status string; an unknown code is kept as missing, with its name."""
    key = (raw or "").strip()
    if key in STATUS_MAP:
        return STATUS_MAP[key]
    log.warning("okänd Kolada-status %r lagras som saknad", key)
    return "missing", f"Kolada: okänd status {key!r}"


def rows_to_observations(rows: Iterable[dict]) -> pd.DataFrame:
    """Kolada-shaped dicts → observation rows (columns OBS_COLUMNS, plus ``source`` and ``fetched_at``
    where the rows carry them). Deleted values are dropped."""
    rows = list(rows)
    out = []
    extras = [k for k in ("source", "fetched_at") if any(k in r for r in rows)]
    for r in rows:
        if r.get("isdeleted") in (True, "true", "True", "1", 1):
            continue
        status, reason = kolada_status(r.get("status"))
        value = r.get("value")
        value = None if value in (None, "", "NA") else float(value)
        if status == "ok" and value is None:
            status, reason = "missing", "Kolada: värde saknas"
        out.append({
            "indicator_id": str(r["kpi"]), "area_id": str(r["municipality"]).zfill(4),
            "year": int(r["period"] if "period" in r else r["year"]), "gender": str(r["gender"]),
            "value": value if status == "ok" else None,
            # Kolada's ``count`` is how many units (e.g. member municipalities) stand behind a value, not
            # respondents: it is never stored as n, which the tests of change read as respondents.
            "n": None,
            "ci_low": None, "ci_high": None, "status": status, "status_reason": reason,
            **{k: r.get(k) for k in extras},
        })
    return pd.DataFrame(out, columns=OBS_COLUMNS + extras)


def attach_uncertainty(obs: pd.DataFrame, uncertainty_of: dict[str, str]) -> pd.DataFrame:
    """Turn Kolada's "Osäkerhetstal" rows into intervals on their main KPI's rows and drop them.

    ``obs`` has Kolada KPI ids in ``indicator_id``; ``uncertainty_of`` maps a main KPI to its uncertainty
    KPI (catalogue field ``uncertainty_kpi``). Kolada: the 95 % interval is value ± osäkerhetstal (for NTU
    the larger side of Brå's asymmetric interval, so the symmetric interval is the conservative one).
    """
    if obs.empty or not uncertainty_of:
        return obs
    main_of = {u: k for k, u in uncertainty_of.items()}
    is_unc = obs["indicator_id"].isin(main_of.keys())
    unc = obs[is_unc & (obs["status"] == "ok")].assign(indicator_id=lambda d: d["indicator_id"].map(main_of))
    out = obs[~is_unc].copy()
    if unc.empty:
        return out
    key = ["indicator_id", "area_id", "year", "gender"]
    margin = out.merge(unc[key + ["value"]].rename(columns={"value": "_margin"}), on=key, how="left")["_margin"]
    margin.index = out.index
    has = margin.notna() & (out["status"] == "ok") & (margin >= 0)
    out.loc[has, "ci_low"] = (out.loc[has, "value"] - margin[has]).round(2)
    out.loc[has, "ci_high"] = (out.loc[has, "value"] + margin[has]).round(2)
    return out


def _unit_from_title(title: str) -> str:
    m = re.search(r",\s*([^,]+)$", title)
    tail = m.group(1) if m else ""
    if "%" in tail:
        return "%"
    return tail or "värde"


def kpi_indicator(kpi: str, title: str, description: str | None, gender_split: bool) -> dict:
    """A catalogue-shaped indicator for a Kolada KPI the catalogue does not list (metadata from /kpi)."""
    return {
        "id": kpi, "title": title, "short_title": title[:60], "definition": description or title,
        "unit": _unit_from_title(title), "decimals": 1, "polarity": "neutral",
        "gender_split": gender_split, "gender_labels": None, "source": "kolada",
        "source_name": "Kolada (RKA)", "source_id": kpi, "kind": "register",
        "suppression_threshold": None, "age_group": None,
        "levels": ["country", "county", "municipality"], "risk_protective": None,
        "note": "Lagd till utanför katalogen; polaritet ej bedömd.",
    }


def load_observations(target: Path, obs: pd.DataFrame, kpi_meta: dict[str, dict], source: str,
                      what: str, fetched_at: str | None = None, command: str = "load-kolada-values",
                      audit: dict | None = None) -> dict:
    """Upsert observations into the store at ``target`` (created if absent) through a checked staging copy;
    ``audit`` (who uploaded what, in the app) is kept in the run's summary of the same publish."""
    with staged(target) as stage:
        if target.exists():
            files.copy(target, stage)
            writer = StoreWriter(write_engine(stage), kind="real", command=command)
        else:
            writer = _new_store(stage, command)
        writer.start_run()
        engine = writer.engine
        with engine.connect() as conn:
            known_ind = set(conn.execute(select(schema.indicator.c.id)).scalars())
            known_area = set(conn.execute(select(schema.area.c.id)).scalars())
        unknown_areas = sorted(set(obs["area_id"]) - known_area)
        if unknown_areas:
            raise ValueError(f"okända områdeskoder: {', '.join(unknown_areas[:10])}")
        new_inds = []
        for kpi in sorted(set(obs["indicator_id"]) - known_ind):
            meta = kpi_meta.get(kpi)
            if meta is None:
                raise ValueError(f"KPI {kpi} saknas i katalogen och ingen metadata gavs")
            new_inds.append(meta)
        if new_inds:
            writer.write_indicators(new_inds)
        keys = list(obs[["indicator_id", "area_id", "year", "gender"]].itertuples(index=False, name=None))
        o = schema.observation
        with engine.begin() as conn:
            for start in range(0, len(keys), 500):
                conn.execute(delete(o).where(
                    tuple_(o.c.indicator_id, o.c.area_id, o.c.year, o.c.gender).in_(keys[start:start + 500])))
        # Each row keeps its own source and fetch time where the input gives them (columns ``source`` and
        # ``fetched_at``): one source_fetch per distinct pair, never the first row's for all.
        per_row = obs.assign(
            source=obs["source"].fillna(source) if "source" in obs else source,
            fetched_at=obs["fetched_at"].fillna(fetched_at or now_iso()) if "fetched_at" in obs
            else (fetched_at or now_iso()))
        for (src, when), part in per_row.groupby(["source", "fetched_at"], sort=True):
            fetch = writer.add_fetch(src, what, rows=len(part), is_demo=False, fetched_at=when)
            writer.write_observations(part, fetch)
        counts = obs["status"].value_counts()
        result = {"rows": len(obs), "ok": int(counts.get("ok", 0)),
                  "suppressed": int(counts.get("suppressed", 0)), "missing": int(counts.get("missing", 0)),
                  "new_indicators": len(new_inds)}
        writer.finish_run({**result, "app": audit} if audit else result)
        engine.dispose()
        if audit:  # the app's upload: its audit event in the same publication
            from etl import app_writes

            con = files.connect(stage)
            try:
                with con:
                    app_writes.audit_upload(con, audit, result["rows"])
            finally:
                con.close()
    return result


def _new_store(stage: Path, command: str) -> StoreWriter:
    from etl.demo import base_areas

    cat = load_catalogue()
    writer = StoreWriter(write_engine(stage), kind="real", command=command)
    writer.create(is_demo=False)
    writer.write_areas(base_areas())
    writer.write_indicators(cat.indicators)
    writer.write_groups([g for g in cat.groups if not g["is_demo"]])
    writer.write_strategies(cat)
    writer.write_factors(cat)
    return writer


def load_kolada_csv(target: Path, path: Path, source: str | None = None) -> dict:
    """Load a CSV of Kolada values (columns kpi_id, kpi_title, municipality_id, year, gender, value
    and optionally count, status, source) into the store."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise ValueError(f"{path.name} innehåller inga rader")
    shaped = [{"kpi": r["kpi_id"], "municipality": r["municipality_id"], "year": r["year"],
               "gender": r["gender"], "value": r.get("value"), "count": r.get("count"),
               "status": r.get("status", "")} for r in rows]
    for s, r in zip(shaped, rows, strict=True):
        # Every row's own source, and its fetch date where the source names one (a dated snapshot).
        s["source"] = r.get("source") or source or KOLADA_SOURCE
        s["fetched_at"] = snapshot_date(s["source"])
    obs = rows_to_observations(shaped)
    obs = attach_uncertainty(obs, {i["source_id"]: i["uncertainty_kpi"] for i in load_catalogue().indicators
                                   if i.get("uncertainty_kpi")})
    rows = [r for r in rows if r["kpi_id"] in set(obs["indicator_id"])]
    meta = {}
    for r in rows:
        kpi = r["kpi_id"]
        if kpi not in meta:
            split = any(x["kpi_id"] == kpi and x["gender"] in ("K", "M") for x in rows)
            meta[kpi] = kpi_indicator(kpi, r.get("kpi_title") or kpi, r.get("kpi_description"), split)
    return load_observations(target, obs, meta, source=source or KOLADA_SOURCE, what=f"fil {path.name}",
                             fetched_at=now_iso())


def snapshot_date(source: str | None) -> str | None:
    """The date a source text names (e.g. '…/2024-12-12_KOLADA_data_raw.parquet' → '2024-12-12'), as the
    fetch time of its values; None when it names none (then the load time is used)."""
    m = re.search(r"(20\d\d-[01]\d-[0-3]\d)", source or "")
    return m.group(1) if m else None
