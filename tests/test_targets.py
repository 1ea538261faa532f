"""Issue #27: a strategy's targets set in the app by a redaktör — the role checked inside the write itself,
the catalogue's rules, the newest target in force wherever targets are read (the overview's target status
too), author, time and history kept, audited, and carried into every later publish (a rebuild too)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from etl.publish import carry_app_rows
from services import notes, scope, targets
from services import overview as svc_ov
from services.auth import ANONYMOUS, Grant, Principal
from services.filters import Filters
from services.store import clear_caches
from store.db import file_identity

EDITOR = Principal(subject="redaktor-0181", email="redaktor@sodertalje.se", grants=(Grant("redaktör", "0181"),))
READER = Principal(subject="lasare", grants=(Grant("läsare"),))
OWNER = Principal(subject="ansvarig-telge", grants=(Grant("åtgärdsansvarig", "Telge Bostäder AB"),))
OTHER_EDITOR = Principal(subject="redaktor-1287", grants=(Grant("redaktör", "1287"),))
ADMIN = Principal(subject="admin", grants=(Grant("administratör"),))
GOAL, IND = "sodertalje.sod_A", "N66077"  # a share in percent, no target in the strategy file
VALUE = targets.Draft("0181", GOAL, IND, targets.VALUE, 85.0, 2030, None, "KF 2025-03-24 § 41")


@pytest.fixture
def store(demo_store, tmp_path, monkeypatch):
    """A copy of the demo store of its own, as the app's store (every test here writes)."""
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    clear_caches()
    yield path
    clear_caches()


def rows(path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def in_force(kommun: str, goal: str, ind: str) -> tuple:
    row = targets.current(kommun, goal, ind)
    return (row["target_value"], row["target_year"], row["target_direction"], row["target_source"],
            row["target_set_by"])


@pytest.mark.parametrize("who", [ANONYMOUS, READER, OWNER, OTHER_EDITOR],
                         ids=["anonym", "läsare", "åtgärdsansvarig", "redaktör-1287"])
def test_a_target_without_the_role_is_refused_and_writes_nothing(store, who):
    before = file_identity(store)
    with pytest.raises(PermissionError, match="nte inloggad|nte behörighet"):
        targets.set_target(who, VALUE)
    assert rows(store, "SELECT COUNT(*) FROM app_target")[0][0] == 0
    assert rows(store, "SELECT COUNT(*) FROM audit_event")[0][0] == 0
    assert file_identity(store) == before  # not even a new publish


def test_a_redaktor_sets_a_target_that_replaces_the_files_and_is_judged_on_the_overview(store):
    assert pd_isna(in_force("0181", GOAL, IND)[0])
    uid = targets.set_target(EDITOR, VALUE)
    clear_caches()
    value, year, direction, source, by = in_force("0181", GOAL, IND)
    assert (value, year, direction, source, by) == (85.0, 2030, None, "KF 2025-03-24 § 41", "redaktor@sodertalje.se")
    (event,) = rows(store, "SELECT subject, email, action, municipality_id, target, details FROM audit_event")
    assert event[:5] == ("redaktor-0181", "redaktor@sodertalje.se", "target_set", "0181", IND)
    assert uid in event[5] and '"value": 85.0' in event[5]
    # The overview reads the target in force and judges the indicator against it.
    ov = svc_ov.overview_frame(scope.resolve(Filters(kommun="0181", jmf="0000")))
    hit = ov[(ov["goal_id"] == GOAL) & (ov["indicator_id"] == IND)].iloc[0]
    assert hit["target_value"] == 85.0 and hit["target_obj"] is not None
    # The audit trail says it in words.
    trail = notes.audit_trail(EDITOR)
    assert trail.iloc[0]["action"] == "target_set" and trail.iloc[0]["text"] == "85 år 2030 (KF 2025-03-24 § 41)"


def test_the_newest_target_is_in_force_and_every_change_is_kept(store):
    targets.set_target(EDITOR, VALUE)
    clear_caches()
    targets.set_target(EDITOR, targets.Draft("0181", GOAL, IND, targets.DIRECTION, direction="öka",
                                             source="KS 2026-01-12 § 3"))
    clear_caches()
    value, _, direction, source, _ = in_force("0181", GOAL, IND)
    assert pd_isna(value) and (direction, source) == ("öka", "KS 2026-01-12 § 3")
    targets.set_target(EDITOR, targets.Draft("0181", GOAL, IND, targets.NONE, source="KF 2026-06-15 § 80"))
    clear_caches()
    assert pd_isna(in_force("0181", GOAL, IND)[0]) and in_force("0181", GOAL, IND)[2] is None
    hist = targets.history("0181")
    assert list(hist["target_source"]) == ["KF 2026-06-15 § 80", "KS 2026-01-12 § 3", "KF 2025-03-24 § 41"]
    assert [a for (a,) in rows(store, "SELECT action FROM audit_event ORDER BY id")] == \
        ["target_set", "target_set", "target_removed"]
    # Another goal indicator keeps what it had.
    assert pd_isna(in_force("0181", GOAL, "U31803")[0])


def test_a_target_in_the_strategy_file_can_be_replaced_and_removed_by_an_administrator(store):
    goal, ind = "trelleborg.tre_tillit", "ENK_LAG_TILLIT"
    assert in_force("1287", goal, ind)[2] == "minska" and in_force("1287", goal, ind)[4] is None
    with pytest.raises(PermissionError):
        targets.set_target(EDITOR, targets.Draft("1287", goal, ind, targets.NONE, source="KF"))
    targets.set_target(ADMIN, targets.Draft("1287", goal, ind, targets.NONE, source="KF 2026-02-01 § 9"))
    clear_caches()
    assert in_force("1287", goal, ind)[2] is None and in_force("1287", goal, ind)[4] == "admin"


@pytest.mark.parametrize(("draft", "message"), [
    (targets.Draft("0181", GOAL, IND, targets.VALUE, 120.0, 2030, None, "KF"), "mellan 0 och 100"),
    (targets.Draft("0181", GOAL, IND, targets.VALUE, float("nan"), 2030, None, "KF"), "som ett tal"),
    (targets.Draft("0181", GOAL, IND, targets.VALUE, 80.0, 1999, None, "KF"), "Målåret ska vara mellan 2000"),
    (targets.Draft("0181", GOAL, IND, targets.VALUE, 80.0, 2030, None, ""), "Ange beslutet"),
    (targets.Draft("0181", GOAL, IND, targets.VALUE, 80.0, 2030, None, "<script>x</script>"), "HTML"),
    (targets.Draft("0181", GOAL, IND, targets.DIRECTION, direction="halvera", source="KF"), "öka eller minska"),
    (targets.Draft("0181", GOAL, IND, targets.NONE, source="KF"), "inget mål att ta bort"),
    (targets.Draft("0181", GOAL, "ENK_LAG_TILLIT", targets.VALUE, 80.0, 2030, None, "KF"), "hör inte till mål"),
    (targets.Draft("0181", GOAL, IND, "fördubbla", source="KF"), "Okänd sorts mål"),
])
def test_a_bad_target_gets_a_swedish_message_and_nothing_is_written(store, draft, message):
    with pytest.raises(targets.TargetError, match=message):
        targets.set_target(EDITOR, draft)
    assert rows(store, "SELECT COUNT(*) FROM app_target")[0][0] == 0


def test_the_same_target_again_is_nothing_to_save(store):
    targets.set_target(EDITOR, VALUE)
    clear_caches()
    with pytest.raises(targets.TargetError, match="redan detta"):
        targets.set_target(EDITOR, VALUE)
    assert rows(store, "SELECT COUNT(*) FROM app_target")[0][0] == 1


def test_the_app_targets_are_carried_into_a_rebuilt_store_once(store, demo_store, tmp_path):
    targets.set_target(EDITOR, VALUE)
    rebuilt = tmp_path / "rebuilt.sqlite"
    shutil.copyfile(demo_store, rebuilt)
    carry_app_rows(rebuilt, store)
    carry_app_rows(rebuilt, store)  # by uid: once
    assert rows(rebuilt, "SELECT uid, target_value, target_source FROM app_target") == \
        rows(store, "SELECT uid, target_value, target_source FROM app_target")
    assert len(rows(rebuilt, "SELECT uid FROM app_target")) == 1


def pd_isna(x) -> bool:
    return x is None or x != x
