"""The project's copy of Kolada's KPI list, and the check of the catalogue against it: every Kolada
indicator's id exists, its title is Kolada's title, word for word, and its gender split is Kolada's.

The copy is ``data/kolada_kpis.csv`` (id, title, is_divided_by_gender, publ_period, hamtad), written by
``python -m etl kolada-kpis`` from Kolada API v3 (``/v3/kpi``, every KPI, paged) or, offline, from a CSV
in the same fields (``--fran FIL``, e.g. an rKolada export). It is kept in the repository once fetched, so
that ``check-catalogue``, ``etl demo`` and ``etl build`` check against it without the network.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from etl import catalogue_messages as msg
from etl.catalogue import CATALOGUE_DIR, Catalogue

KPI_LIST = Path(__file__).resolve().parent.parent / "data" / "kolada_kpis.csv"
COLUMNS = ["id", "title", "is_divided_by_gender", "publ_period", "hamtad"]


class KpiListError(ValueError):
    """A KPI list that cannot be read (Swedish message)."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    gender_split: bool


def _bool(text) -> bool:
    return str(text).strip().lower() in ("true", "1", "ja")


def read_rows(path: Path) -> list[dict]:
    """The rows of a KPI list (our copy, or a CSV in Kolada's v3 fields)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KpiListError(f"KPI-listan {path} kan inte läsas ({exc.__class__.__name__})") from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"id", "title", "is_divided_by_gender"} <= set(rows[0]):
        raise KpiListError(f"KPI-listan {path.name} saknar kolumnerna id, title och is_divided_by_gender")
    return rows


def read(path: Path = KPI_LIST) -> dict[str, Kpi]:
    """The KPI list at ``path``, by id."""
    rows = read_rows(path)
    return {r["id"].strip(): Kpi(r["id"].strip(), r["title"], _bool(r["is_divided_by_gender"])) for r in rows}


def write(records: list[dict], path: Path = KPI_LIST, fetched_at: str = "") -> int:
    """Write Kolada /kpi records (or rows of a v3 CSV) as our copy, sorted by id; atomically."""
    rows = sorted(({"id": r["id"], "title": r["title"],
                    "is_divided_by_gender": "True" if _bool(r.get("is_divided_by_gender")) else "False",
                    "publ_period": r.get("publ_period") or "", "hamtad": r.get("hamtad") or fetched_at}
                   for r in records if r.get("id")), key=lambda r: r["id"])
    if not rows:
        raise KpiListError("KPI-listan blev tom; inget skrevs")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)
    return len(rows)


def check(cat: Catalogue, kpis: dict[str, Kpi], directory: Path = CATALOGUE_DIR) -> list[str]:
    """Every Kolada indicator of the catalogue against the list: "indicators.yaml:rad: …" in Swedish."""
    path = directory / "indicators.yaml"
    lines = msg.read_lines(path)
    titles = {k.title: k.id for k in kpis.values()}
    problems = []
    for pos, ind in enumerate(cat.indicators):
        if ind["source"] != "kolada":
            continue
        kpi_id = ind.get("source_id") or ind["id"]
        kpi = kpis.get(kpi_id)
        if kpi is None:
            hint = f" (titeln hör till {titles[ind['title']]})" if ind["title"] in titles else msg.suggest(kpi_id, kpis)
            problems.append(msg.at(path, lines, ("indicators", pos, "source_id"),
                                   f"{ind['id']}: Kolada har ingen KPI {kpi_id}{hint}"))
            continue
        if ind["title"] != kpi.title:
            problems.append(msg.at(path, lines, ("indicators", pos, "title"),
                                   f"{ind['id']}: titeln ska vara Koladas, ordagrant: \"{kpi.title}\""))
        if bool(ind["gender_split"]) != kpi.gender_split:
            problems.append(msg.at(path, lines, ("indicators", pos, "gender_split"),
                                   f"{ind['id']}: gender_split ska vara {'true' if kpi.gender_split else 'false'} "
                                   f"(Kolada {'delar' if kpi.gender_split else 'delar inte'} KPI:n på kön)"))
    return problems
