"""The action plan reported where it is followed (issue #27): the body that answers for an action (an
åtgärdsansvarig) reports its status, period and a comment in the app; the coordinator (redaktör of the
action's municipality, or an administratör) approves or rejects each report; only approved reports show on
the focus page, beside the imported follow-up, and every report is kept (the history).

Which body answers for an action is the plan's own answer: the ``ansvarig`` of its latest imported follow-up
(``python -m etl import-actions``). Every write here checks the role on the server first, inside the write
function (``auth.require``), so a crafted link or websocket message from a reader, an anonymous session or
another body changes nothing; then the text is checked like a note (length, no HTML or markdown, no control
characters) and published through ``etl.app_writes`` with an audit event. Four eyes: nobody approves or
rejects a report they sent themselves (the same claim subject; an administratör, or an account with both
roles, reports and someone else reviews).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from catalogue.schema import NOTE_YEAR_MAX, NOTE_YEAR_MIN
from etl import app_writes
from etl.catalogue import MARKUP
from etl.publish import PublishError
from services import auth, exports
from services import catalogue as cat
from services import indicators as svc
from services.auth import Principal
from services.store import q
from store.db import StoreError
from store.schema import ACTION_STATUSES, REPORT_STATES

log = logging.getLogger(__name__)

SUBMITTED, APPROVED, REJECTED = REPORT_STATES
COMMENT_MAX = 1000
REASON_MAX = 500
YEAR_MIN, YEAR_MAX = NOTE_YEAR_MIN, NOTE_YEAR_MAX
NO_RESPONSIBLE = "(ingen ansvarig angiven i uppföljningen)"
FOUR_EYES = ("Du kan inte godkänna eller avslå en rapport som du själv har skickat in: en annan redaktör för "
             "kommunen eller en administratör granskar den. Inget har ändrats.")
ACTION_COLUMNS = ["action_id", "municipality_id", "municipality", "focus_area_id", "focus_area", "code", "title",
                  "label", "responsible"]


class ReportError(ValueError):
    """A report or a review that cannot be saved; ``problems`` are Swedish sentences (nothing was written)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def action_id(focus_area_id: str, code: str) -> str:
    """One action's id: its focus area's id and its code in the plan, e.g. ``sodertalje.sod_4/1``."""
    return f"{focus_area_id}/{code}"


def plan(municipality_id: str) -> pd.DataFrame:
    """The actions of a municipality's plan in order (``ACTION_COLUMNS``; responsible None where no
    follow-up names one)."""
    s = cat.strategy_for(municipality_id)
    df = q("plan_actions", strategy_id=s.id)
    areas = [cat.focus_area_title(c, t, k) for c, t, k in zip(df["focus_area_code"], df["focus_area_title"],
                                                              df["focus_area_kind"], strict=True)]
    return pd.DataFrame({
        "action_id": [action_id(f, c) for f, c in zip(df["focus_area_id"], df["code"], strict=True)],
        "municipality_id": s.municipality_id, "municipality": s.municipality,
        "focus_area_id": df["focus_area_id"].tolist(), "focus_area": areas, "code": df["code"].astype(str).tolist(),
        "title": df["title"].tolist(),
        "label": [f"{str(fc).rstrip('.')}.{c} {t}" for fc, c, t in zip(df["focus_area_code"], df["code"], df["title"],
                                                                         strict=True)],
        "responsible": [r if isinstance(r, str) and r else None for r in df["responsible"]],
    }, columns=ACTION_COLUMNS)


def _all_actions() -> pd.DataFrame:
    frames = [plan(s.municipality_id) for s in cat.strategies()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ACTION_COLUMNS)


def actions_for(principal: Principal) -> pd.DataFrame:
    """The actions ``principal`` reports on: those whose responsible body is one of the principal's bodies
    (an administratör: every action with a responsible body); empty for anyone else."""
    if not principal.signed_in:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    acts = _all_actions()
    acts = acts[acts["responsible"].notna()]
    if not principal.is_admin:
        acts = acts[acts["responsible"].isin(principal.scopes(auth.ACTION_OWNER))]
    return acts.reset_index(drop=True)


def can_report(principal: Principal) -> bool:
    """Whether the reporting page is for this user: an åtgärdsansvarig of some body, or an administratör."""
    return principal.signed_in and (principal.is_admin or bool(principal.scopes(auth.ACTION_OWNER)))


def reviewable_municipalities(principal: Principal) -> tuple[str, ...]:
    """The municipalities whose reports ``principal`` approves (redaktör; an administratör: all)."""
    return tuple(s.municipality_id for s in cat.strategies() if principal.has(auth.EDITOR, s.municipality_id))


def can_review(principal: Principal) -> bool:
    return principal.signed_in and bool(reviewable_municipalities(principal))


@dataclass(frozen=True)
class Draft:
    """A report as typed: the action, the period (year), the status and a comment."""

    action_id: str
    year: int
    status: str
    comment: str = ""

    def cleaned(self) -> Draft:
        return Draft(self.action_id, self.year, " ".join(str(self.status).split()), " ".join(str(self.comment).split()))


def _text_problems(name: str, text: str, limit: int) -> list[str]:
    out = []
    if len(text) > limit:
        out.append(f"{name} är {len(text)} tecken; högst {limit}.")
    if MARKUP.search(text):
        out.append(f"{name} får inte innehålla HTML eller markdown (<, >, ` och länkar).")
    if any(not ch.isprintable() for ch in text):
        out.append(f"{name} innehåller styrtecken.")
    return out


def problems(draft: Draft) -> list[str]:
    """Why ``draft`` cannot be sent, in Swedish (empty: it can)."""
    d = draft.cleaned()
    out = []
    if not isinstance(d.year, int) or isinstance(d.year, bool) or not YEAR_MIN <= d.year <= YEAR_MAX:
        out.append(f"Perioden (året) ska vara mellan {YEAR_MIN} och {YEAR_MAX}.")
    if d.status not in ACTION_STATUSES:
        out.append(f"Statusen ”{d.status}” ska vara {', '.join(ACTION_STATUSES[:-1])} eller {ACTION_STATUSES[-1]}.")
    return out + _text_problems("Kommentaren", d.comment, COMMENT_MAX)


def _find(aid: str) -> pd.Series | None:
    acts = _all_actions()
    rows = acts[acts["action_id"] == aid]
    return None if rows.empty else rows.iloc[0]


def _author(principal: Principal) -> app_writes.Author:
    return app_writes.Author(subject=principal.subject, email=principal.email)


def _publish_failed(exc: Exception, what: str) -> ReportError:
    log.error("action report publish failed: %s", exc)
    message = exc.message if isinstance(exc, StoreError) else str(exc)
    return ReportError([f"{what} kunde inte sparas: {message}. Inget har ändrats; försök igen."])


def report(principal: Principal, draft: Draft) -> str:
    """Send a status report as ``principal`` (the åtgärdsansvarig of the action's body, or an administratör):
    checked, published as submitted (not shown until approved), audited; returns its uid. PermissionError or
    ReportError (Swedish) otherwise, and nothing is written."""
    act = _find(draft.action_id)
    body = act["responsible"] if act is not None and act["responsible"] else NO_RESPONSIBLE
    auth.require(principal, auth.ACTION_OWNER, organisation=body)
    if act is None:
        raise ReportError([f"Åtgärden {draft.action_id} finns inte i någon strategi i databasen."])
    if body == NO_RESPONSIBLE:
        raise ReportError([f"Åtgärden {act['label']} har ingen ansvarig i uppföljningen; läs in en uppföljning "
                           "som anger ansvarig nämnd eller bolag först."])
    found = problems(draft)
    if found:
        raise ReportError(found)
    d = draft.cleaned()
    try:
        uid = app_writes.add_action_report(_author(principal), act["focus_area_id"], act["code"],
                                           act["municipality_id"], body, d.year, d.status, d.comment or None)
    except (PublishError, StoreError, OSError) as exc:
        raise _publish_failed(exc, "Rapporten") from exc
    log.info("action report %s by %s for %s", uid, principal.subject, draft.action_id)
    return uid


def own_report(principal: Principal, reported_subject: str | None) -> bool:
    """Whether ``principal`` sent the report themselves (the same claim subject): then someone else reviews it."""
    return principal.signed_in and reported_subject == principal.subject


def _review(principal: Principal, report_id: str, approve: bool, reason: str | None) -> dict:
    parties = app_writes.action_report_parties(report_id)
    if parties is None:
        # Refuse whoever may not review anything before saying the report does not exist.
        if not can_review(principal):
            auth.require(principal, auth.EDITOR, kommun=(reviewable_municipalities(principal) or ("0000",))[0])
        raise ReportError(["Rapporten finns inte."])
    municipality, reporter = parties
    auth.require(principal, auth.EDITOR, kommun=municipality)
    if own_report(principal, reporter):  # four eyes: whoever has both roles does not approve their own report
        log.warning("refused: %s reviewing their own report %s", principal.subject, report_id)
        raise PermissionError(FOUR_EYES)
    if not approve:
        reason = " ".join(str(reason or "").split())
        found = ([] if reason else ["Skriv varför rapporten avslås."]) + _text_problems("Motiveringen", reason,
                                                                                        REASON_MAX)
        if found:
            raise ReportError(found)
    try:
        done = app_writes.review_action_report(_author(principal), report_id, municipality, approve, reason)
    except (PublishError, StoreError, OSError) as exc:
        raise _publish_failed(exc, "Granskningen") from exc
    log.info("action report %s %s by %s", report_id, "approved" if approve else "rejected", principal.subject)
    return done


def approve(principal: Principal, report_id: str) -> dict:
    """Approve a submitted report as the coordinator (redaktör of its municipality, or an administratör) who
    did not send it (four eyes): it shows on the focus page from now on; audited. PermissionError or
    ReportError (Swedish) otherwise, and nothing is written."""
    return _review(principal, report_id, True, None)


def reject(principal: Principal, report_id: str, reason: str) -> dict:
    """Reject a submitted report with a reason (kept with the report, shown to the body); audited. The same
    checks as ``approve`` (the role, and not one's own report)."""
    return _review(principal, report_id, False, reason)


def history(municipality_id: str) -> pd.DataFrame:
    """Every report of a municipality, newest first, with its action's label (the action_reports query's
    columns plus action_id and label)."""
    df = q("action_reports", municipality_id=municipality_id)
    labels = dict(zip(plan(municipality_id)["action_id"], plan(municipality_id)["label"], strict=True))
    ids = [action_id(f, c) for f, c in zip(df["focus_area_id"], df["action_code"], strict=True)]
    return df.assign(action_id=ids, label=[labels.get(i, i) for i in ids])


def submitted(municipality_id: str) -> pd.DataFrame:
    """The reports of a municipality waiting for review, oldest first."""
    df = history(municipality_id)
    return df[df["state"] == SUBMITTED].sort_values("reported_at", kind="stable").reset_index(drop=True)


def missing_reports(kommun: str, year: int) -> pd.DataFrame:
    """The actions of a municipality's plan without a submitted or approved report for ``year`` and without
    an imported follow-up of that year: the list for reminders, with Swedish columns as it is downloaded."""
    acts = plan(kommun)
    reports = q("action_reports", municipality_id=kommun)
    reports = reports[reports["year"].astype(int) == int(year)] if not reports.empty else reports
    done = {action_id(f, c) for f, c, s in zip(reports["focus_area_id"], reports["action_code"], reports["state"],
                                               strict=True) if s in (SUBMITTED, APPROVED)}
    rejected = {action_id(f, c) for f, c, s in zip(reports["focus_area_id"], reports["action_code"],
                                                   reports["state"], strict=True) if s == REJECTED}
    for fid in acts["focus_area_id"].unique():
        follow = q("action_status", focus_area_id=fid)
        follow = follow[(follow["origin"] == "import") & (follow["year"].astype(int) == int(year))]
        done |= {action_id(fid, c) for c in follow["action_code"]}
    todo = acts[~acts["action_id"].isin(done)]
    return pd.DataFrame({
        "Kommun": todo["municipality"], "Område": todo["focus_area"], "Åtgärd": todo["label"],
        "Ansvarig": todo["responsible"].fillna(NO_RESPONSIBLE), "År": int(year),
        "Anmärkning": ["rapporten avslogs; ny rapport behövs" if a in rejected else "" for a in todo["action_id"]],
    }).reset_index(drop=True)


def missing_reports_csv(kommun: str, year: int) -> bytes:
    return exports.to_csv_bytes(missing_reports(kommun, year), svc.is_demo_store())


def missing_reports_xlsx(kommun: str, year: int) -> bytes:
    return exports.to_xlsx_bytes({f"Saknar rapport {year}": missing_reports(kommun, year)}, svc.is_demo_store())
