"""The action plan's yearly follow-up uploaded in the app by a redaktör (issue #27): the same file and the
same import as ``python -m etl import-actions`` (``etl.actions_import``), with a preview first.

- ``preview_actions`` reads the file through the import's own reader and checks (``read_actions``,
  ``check_actions``) against the live store, limited to the municipality, and says per row whether it is new
  or replaces the store's row for the same action and year (old → new status); every refusal in Swedish with
  its line. Nothing is written.
- ``publish_actions`` runs the import (``import_actions_data``: the store's lock, a checked working copy, one
  atomic rename; a PostgreSQL store through its working copy) with the audit event ``actions_uploaded`` (who,
  file name, sha256, rows) written in the publish's own transaction and kept in its run's summary, so the
  upload history lists it and a later undo of a survey upload refuses rather than dropping it.

Every call checks the role itself (``auth.require``): a reader's, an anonymous session's or another
municipality's redaktör's call raises the Swedish PermissionError and writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import pandas as pd

from etl import app_writes
from etl.actions_import import TEMPLATE, check_actions, import_actions_data, read_actions
from etl.publish import store_lock
from etl.survey_import import ImportError_, check_store
from services import action_reports, auth, uploads
from services.auth import Principal
from services.uploads import FileUpload, Published, UploadError
from store import pg
from store.db import store_location

log = logging.getLogger(__name__)

TEMPLATE_NAME = "åtgärdsmallen"  # in the suffix refusal: "… enligt åtgärdsmallen."
NEW, REPLACED = "new", "replaced"
CHANGE_COLUMNS = ["line", "action", "year", "change", "old_status", "status", "responsible", "comment"]


@dataclass(frozen=True)
class ActionsPreview(FileUpload):
    """What publishing an action follow-up would do. ``changes``: one row per row of the file (line, action —
    the plan's label, e.g. "6.1 Fritidsgårdar …" —, year, change ∈ new/replaced, old_status (None when new),
    status, responsible, comment); empty when the file is refused."""

    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS), compare=False)

    @property
    def counts(self) -> dict[str, int]:
        return {c: int((self.changes["change"] == c).sum()) for c in (NEW, REPLACED)}


def template() -> bytes:
    """The follow-up template (``data/templates/atgarder_mall.csv``) for the page's download."""
    return TEMPLATE.read_bytes()


def preview_actions(principal: Principal, kommun: str, file_name: str, data: bytes) -> ActionsPreview:
    """What publishing ``data`` for ``kommun`` would do (see ``ActionsPreview``); writes nothing.
    PermissionError (Swedish) for anyone but the municipality's redaktör or an administratör."""
    auth.require(principal, auth.EDITOR, kommun=kommun)
    base = uploads.received(kommun, file_name, data)
    refused = uploads.file_refusals(file_name, data, TEMPLATE_NAME)
    if refused:
        return ActionsPreview(**base, refusals=tuple(refused))
    target = app_writes.publish_target()
    try:
        df, _ = read_actions(data)
        check_store(target)
        rows = check_actions(target, df, scope_id=kommun)
    except ImportError_ as exc:
        return ActionsPreview(**base, refusals=tuple(uploads.problems(exc)))
    plan = action_reports.plan(kommun)
    labels = dict(zip(plan["action_id"], plan["label"], strict=True))
    changes = pd.DataFrame({
        "line": rows["line"].astype(int),
        "action": [labels.get(action_reports.action_id(f, a), f"{f}/{a}")
                   for f, a in zip(rows["focus_area_id"], rows["action_code"], strict=True)],
        "year": rows["year"].astype(int),
        "change": [NEW if s is None else REPLACED for s in rows["old_status"]],
        "old_status": rows["old_status"], "status": rows["status"], "responsible": rows["responsible"],
        "comment": rows["comment"]}, columns=CHANGE_COLUMNS)
    return ActionsPreview(**base, build_id=uploads.build_id(target), rows=len(rows), changes=changes)


def publish_actions(principal: Principal, kommun: str, upload: ActionsPreview | bytes,
                    file_name: str | None = None) -> Published:
    """Publish an action follow-up for ``kommun`` as ``principal`` (its redaktör or an administratör) with the
    command line's import and the audit event ``actions_uploaded`` in the same transaction; returns rows and
    the new build id. PermissionError or UploadError (Swedish) otherwise, and nothing is written. ``upload``:
    an ``ActionsPreview`` (its file is checked again against the store as it is now) or the file's bytes with
    ``file_name``."""
    auth.require(principal, auth.EDITOR, kommun=kommun)
    name, data = uploads.uploaded_file(kommun, upload, file_name, TEMPLATE_NAME)
    loc = store_location(None)
    target = app_writes.publish_target()
    if not target.exists():
        raise UploadError([f"Databasen {target.name} finns inte; inget har ändrats."])
    audit = {"action": uploads.ACTIONS, "subject": principal.subject, "email": principal.email,
             "at": uploads.now(), "municipality_id": kommun, "file": name,
             "sha256": hashlib.sha256(data).hexdigest()}
    with uploads.refused_as_upload_error(), store_lock(target, wait_s=app_writes.APP_LOCK_WAIT_S):
        previous = uploads.build_id(target)
        result = import_actions_data(target, name, data, scope_id=kommun, audit=audit)
        build = uploads.build_id(target)
    if pg.is_postgres(loc):
        pg.publish(target, loc)
    log.info("action follow-up %s (%d rows) published by %s for %s: build %s", name, result.rows,
             principal.subject, kommun, build)
    return Published(rows=result.rows, build_id=build, previous_build_id=previous, file_name=name)
