"""The store's schema, declared once with SQLAlchemy Core (SQLite by default, PostgreSQL alike).

Other tools read these tables by name; change a table only together with ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

# Bump on every change of tables, columns or meanings; the app and the ETL refuse other versions.
SCHEMA_VERSION = "10"  # 2: series_break; 3: method_note, series_break.areas; 4: targets, annotation, action_status;
# 5: publication, revision; 6: indicator.moving_average, indicator.repeated_years (the series kind);
# 7: indicator.population_kpi (a crude rate's population);
# 8: notes written in the app (annotation.uid, author, created/removed), audit_event;
# 9: action_report (the action plan's status reported in the app and approved), its audit actions;
# 10: app_target (a goal's target set in the app), audit actions target_set, target_removed, actions_uploaded;
#     strategy.focus_area_plural (a strategy's own word for its areas, any word)

GENDERS = ("T", "K", "M")
STATUSES = ("ok", "suppressed", "missing")
AREA_KINDS = ("country", "county", "municipality", "district")
POLARITIES = ("higher_better", "lower_better", "neutral")

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

area = Table(
    "area",
    metadata,
    Column("id", String(32), primary_key=True),  # Kolada ids for Riket/län/kommun, SCB codes for RegSO/DeSO
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent_id", String(32), ForeignKey("area.id"), nullable=True),
    Column("municipality_id", String(4), nullable=True),  # the kommun a district lies in
    Column("district_system", String(16), nullable=True),  # RegSO / DeSO / egen / demo
    Column("vintage", String(16), nullable=True),  # e.g. 2025 for DeSO 2025
    Column("is_demo", Boolean, nullable=False, default=False),  # generated demo geometry / name
    Column("geometry", Text, nullable=True),  # simplified GeoJSON geometry, WGS 84, lon/lat
    Column("centroid_lon", Float, nullable=True),
    Column("centroid_lat", Float, nullable=True),
    CheckConstraint("kind IN ('country','county','municipality','district')", name="area_kind"),
)
Index("ix_area_parent", area.c.parent_id, area.c.kind)
Index("ix_area_municipality", area.c.municipality_id, area.c.district_system)

area_group = Table(
    "area_group",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("municipality_id", String(4), nullable=True),  # whose peer group it is
    Column("source", Text, nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
)

area_group_member = Table(
    "area_group_member",
    metadata,
    Column("group_id", String(32), ForeignKey("area_group.id"), nullable=False),
    Column("area_id", String(32), ForeignKey("area.id"), nullable=False),
    PrimaryKeyConstraint("group_id", "area_id"),
)

indicator = Table(
    "indicator",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("short_title", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("decimals", Integer, nullable=False, default=1),
    Column("polarity", String(16), nullable=False),
    Column("gender_split", Boolean, nullable=False),
    Column("gender_labels", String(16), nullable=True),  # flickor_pojkar / kvinnor_man
    Column("source", String(32), nullable=False),  # kolada / scb / local_survey / local_register
    Column("source_name", Text, nullable=False),
    Column("source_id", String(64), nullable=True),  # e.g. the Kolada KPI id
    Column("kind", String(16), nullable=False),  # register / survey
    Column("suppression_threshold", Integer, nullable=True),
    Column("age_group", Text, nullable=True),
    Column("levels", Text, nullable=False),  # comma list of area kinds with data
    Column("risk_protective", String(16), nullable=True),
    Column("note", Text, nullable=True),
    # The series kind (catalogue field ``series``): each value a mean of this many years (moving average),
    # or one measurement published for this many years; NULL for one measurement a year.
    Column("moving_average", Integer, nullable=True),
    Column("repeated_years", Integer, nullable=True),
    Column("population_kpi", String(64), nullable=True),  # a rate's population: an indicator id
    CheckConstraint(
        "polarity IN ('higher_better','lower_better','neutral')", name="indicator_polarity"
    ),
)

strategy = Table(
    "strategy",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("municipality_id", String(4), ForeignKey("area.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("period_start", Integer, nullable=False),
    Column("period_end", Integer, nullable=False),
    Column("baseline_year", Integer, nullable=False),
    Column("county_id", String(4), ForeignKey("area.id"), nullable=False),
    Column("focus_area_label", Text, nullable=False),
    Column("focus_area_plural", Text, nullable=False),  # the menu's heading ("Målområden")
    Column("sources", Text, nullable=False),  # newline-separated document titles
)

focus_area = Table(
    "focus_area",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("strategy_id", String(64), ForeignKey("strategy.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("subtitle", Text, nullable=True),
    Column("kind", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("agenda2030", Text, nullable=True),  # comma list of global goal numbers
)
Index("ix_focus_area_strategy", focus_area.c.strategy_id, focus_area.c.position)

focus_area_action = Table(
    "focus_area_action",
    metadata,
    Column("focus_area_id", String(64), ForeignKey("focus_area.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=True),
    PrimaryKeyConstraint("focus_area_id", "position"),
)

# The action plan's yearly follow-up (python -m etl import-actions): one row per action and year.
action_status = Table(
    "action_status",
    metadata,
    Column("focus_area_id", String(64), ForeignKey("focus_area.id"), nullable=False),
    Column("action_code", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("responsible", Text, nullable=False),
    Column("comment", Text, nullable=True),
    Column("source_file", Text, nullable=False),
    Column("imported_at", String(32), nullable=False),
    CheckConstraint("status IN ('ej påbörjad', 'pågår', 'genomförd', 'avbruten')", name="action_status_status"),
    PrimaryKeyConstraint("focus_area_id", "action_code", "year"),
)

ACTION_STATUSES = ("ej påbörjad", "pågår", "genomförd", "avbruten")  # the follow-up's vocabulary
REPORT_STATES = ("inskickad", "godkänd", "avslagen")

# The action plan's status reported in the app by the body that answers for the action (issue #27,
# services/action_reports.py): each report its own row, never overwritten; the coordinator (redaktör of the
# municipality, or an administratör) approves or rejects it once (reviewed_*), with a reason for a rejection.
# Only approved reports show on the focus page, beside the imported follow-up. Carried by uid into every
# later publish, a rebuild too (etl.publish.carry_app_rows).
action_report = Table(
    "action_report",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("focus_area_id", String(64), ForeignKey("focus_area.id"), nullable=False),
    Column("action_code", String(16), nullable=False),
    Column("municipality_id", String(4), nullable=False),
    Column("responsible", Text, nullable=False),  # the body the report was made for
    Column("year", Integer, nullable=False),  # the follow-up period
    Column("status", String(16), nullable=False),
    Column("comment", Text, nullable=True),
    Column("reported_subject", Text, nullable=False),
    Column("reported_email", Text, nullable=True),
    Column("reported_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("state", String(16), nullable=False),
    Column("reviewed_subject", Text, nullable=True),  # who approved or rejected it
    Column("reviewed_email", Text, nullable=True),
    Column("reviewed_at", String(32), nullable=True),
    Column("rejection_reason", Text, nullable=True),
    CheckConstraint("status IN (" + ",".join(f"'{a}'" for a in ACTION_STATUSES) + ")", name="action_report_status"),
    CheckConstraint("state IN (" + ",".join(f"'{a}'" for a in REPORT_STATES) + ")", name="action_report_state"),
    CheckConstraint("(state = 'inskickad') = (reviewed_subject IS NULL AND reviewed_at IS NULL)",
                    name="action_report_reviewed"),
    CheckConstraint("(state = 'avslagen') = (rejection_reason IS NOT NULL)", name="action_report_reason"),
    Index("ix_action_report_action", "focus_area_id", "action_code", "year"),
    Index("ix_action_report_municipality", "municipality_id", "state"),
)

goal = Table(
    "goal",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("focus_area_id", String(64), ForeignKey("focus_area.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("origin", Text, nullable=True),
)
Index("ix_goal_focus_area", goal.c.focus_area_id, goal.c.position)

goal_indicator = Table(
    "goal_indicator",
    metadata,
    Column("goal_id", String(64), ForeignKey("goal.id"), nullable=False),
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("label", Text, nullable=True),  # the strategy's own wording
    Column("is_primary", Boolean, nullable=False, default=False),
    # The strategy's target: a value by a year, or only a direction (öka/minska); all null where none.
    Column("target_value", Float, nullable=True),
    Column("target_year", Integer, nullable=True),
    Column("target_direction", String(8), nullable=True),
    Column("target_source", Text, nullable=True),
    PrimaryKeyConstraint("goal_id", "indicator_id"),
)

factor = Table(
    "factor",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),  # risk / protective
    Column("level", String(16), nullable=False),  # individ / familj / skola / narsamhalle / samhalle
    Column("category", String(32), nullable=False),  # familj_natverk / sysselsattning / fritid_sammanhang
    Column("description", Text, nullable=True),
    Column("source", Text, nullable=False),
    Column("position", Integer, nullable=False),
)

factor_indicator = Table(
    "factor_indicator",
    metadata,
    Column("factor_id", String(64), ForeignKey("factor.id"), nullable=False),
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("factor_id", "indicator_id"),
)

build_run = Table(
    "build_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # demo / real / import
    Column("command", Text, nullable=False),
    Column("started_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("finished_at", String(32), nullable=True),
    Column("status", String(16), nullable=False),
    Column("summary", Text, nullable=True),  # JSON
)

source_fetch = Table(
    "source_fetch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("build_run.id"), nullable=False),
    Column("source", Text, nullable=False),  # e.g. "Kolada API v3", "Demo (syntetiska värden)"
    Column("what", Text, nullable=False),
    Column("fetched_at", String(32), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("is_demo", Boolean, nullable=False),
    Column("note", Text, nullable=True),
)

observation = Table(
    "observation",
    metadata,
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("area_id", String(32), ForeignKey("area.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("gender", String(1), nullable=False),
    Column("value", Float, nullable=True),  # NULL unless status = 'ok'
    Column("n", Integer, nullable=True),  # respondents or denominator, where known
    Column("ci_low", Float, nullable=True),
    Column("ci_high", Float, nullable=True),
    Column("status", String(16), nullable=False),
    Column("status_reason", Text, nullable=True),
    Column("fetch_id", Integer, ForeignKey("source_fetch.id"), nullable=False),
    PrimaryKeyConstraint("indicator_id", "area_id", "year", "gender"),
    CheckConstraint("gender IN ('T','K','M')", name="observation_gender"),
    CheckConstraint("status IN ('ok','suppressed','missing')", name="observation_status"),
    CheckConstraint("status = 'ok' OR value IS NULL", name="observation_value_only_if_ok"),
    # Disclosure control: a hidden cell keeps no interval and no number of respondents either.
    CheckConstraint("status != 'suppressed' OR (n IS NULL AND ci_low IS NULL AND ci_high IS NULL)",
                    name="observation_hidden_is_empty"),
)
# One area's indicators over time (indicator pages, overview, district view).
Index("ix_observation_area", observation.c.area_id, observation.c.indicator_id, observation.c.year)
# One indicator across areas in a year (comparison, maps, rankings).
Index("ix_observation_indicator_year", observation.c.indicator_id, observation.c.year, observation.c.gender)

# Which fetch delivered which indicator's values, and for which years: written at the end of every
# build so the Data page can show "source and fetch date per indicator" without scanning observation.
indicator_coverage = Table(
    "indicator_coverage",
    metadata,
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("fetch_id", Integer, ForeignKey("source_fetch.id"), nullable=False),
    Column("first_year", Integer, nullable=False),
    Column("last_year", Integer, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("suppressed", Integer, nullable=False),
    PrimaryKeyConstraint("indicator_id", "fetch_id"),
)

# Where an indicator's series breaks (a new area division, a changed definition): from ``year`` on the
# values are not comparable with earlier ones. Drawn on the trend charts and listed on the Data page.
series_break = Table(
    "series_break",
    metadata,
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("description", Text, nullable=False),
    # The areas concerned, comma-separated (a county id covers its municipalities); NULL: every area.
    Column("areas", Text, nullable=True),
    PrimaryKeyConstraint("indicator_id", "year"),
)

# Local notes on trends: drawn as marks on an indicator's trend chart. From the catalogue
# (catalogue/annotations/*.yaml, no author) or written in the app by a redaktör (services/notes.py: a uid,
# the author's claim subject and e-mail, when). A removed app note keeps its row (removed_at, removed_by);
# every publish carries the app's notes into the new store by uid (etl/app_writes.py), a rebuild too.
annotation = Table(
    "annotation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("municipality_id", String(16), ForeignKey("area.id"), nullable=False),
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=True),
    Column("focus_area_id", String(64), ForeignKey("focus_area.id"), nullable=True),
    Column("year", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("source", Text, nullable=True),
    Column("is_example", Boolean, nullable=False, default=False),
    Column("uid", String(36), nullable=True, unique=True),  # app notes only
    Column("author_subject", Text, nullable=True),
    Column("author_email", Text, nullable=True),
    Column("created_at", String(32), nullable=True),  # ISO 8601, UTC
    Column("removed_at", String(32), nullable=True),
    Column("removed_by", Text, nullable=True),  # the remover's claim subject
    CheckConstraint("(indicator_id IS NULL) <> (focus_area_id IS NULL)", name="annotation_one_target"),
    CheckConstraint("uid IS NULL OR (author_subject IS NOT NULL AND created_at IS NOT NULL)",
                    name="annotation_app_note_has_author"),
    Index("ix_annotation_municipality", "municipality_id"),
)

# A strategy's target for one of a goal's indicators set in the app by a redaktör (issue #27,
# services/targets.py): each change its own row, never overwritten; the newest row of a (goal, indicator)
# replaces the catalogue's target (goal_indicator.target_*) wherever the target is read, and a row with
# neither value nor direction says the target was removed in the app. Carried by uid into every later publish,
# a rebuild too (etl.publish.carry_app_rows), while the store still has the goal and the indicator.
app_target = Table(
    "app_target",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("municipality_id", String(16), nullable=False),
    Column("goal_id", String(64), ForeignKey("goal.id"), nullable=False),
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("target_value", Float, nullable=True),
    Column("target_year", Integer, nullable=True),
    Column("target_direction", String(8), nullable=True),
    Column("target_source", Text, nullable=True),  # the decision it comes from, e.g. "KF 2025-03-24 § 41"
    Column("author_subject", Text, nullable=False),
    Column("author_email", Text, nullable=True),
    Column("created_at", String(32), nullable=False),  # ISO 8601, UTC
    CheckConstraint("target_direction IS NULL OR target_direction IN ('öka', 'minska')",
                    name="app_target_direction"),
    CheckConstraint("(target_value IS NULL) = (target_year IS NULL)", name="app_target_value_year"),
    CheckConstraint("target_value IS NULL OR target_direction IS NULL", name="app_target_one_kind"),
    Index("ix_app_target_goal", "goal_id", "indicator_id", "id"),
)

AUDIT_ACTIONS = ("note_added", "note_removed", "action_reported", "action_report_approved",
                 "action_report_rejected", "survey_uploaded", "publication_undone", "target_set", "target_removed",
                 "actions_uploaded")

# Every write made in the app (a note added or removed, an action's status reported, approved or rejected,
# a survey file published, a publication undone): who (the claim's subject and e-mail),
# when, what. Never deleted; carried from publish to publish by uid, like the app's notes.
audit_event = Table(
    "audit_event",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("at", String(32), nullable=False),  # ISO 8601, UTC
    Column("subject", Text, nullable=False),
    Column("email", Text, nullable=True),
    Column("action", String(32), nullable=False),
    Column("municipality_id", String(16), nullable=True),  # whose data it concerns (no foreign key: kept
    Column("target", Text, nullable=True),                  # even when a rebuilt store lacks the area)
    Column("details", Text, nullable=False),  # JSON: the note's uid, indicator, year, text, source
    CheckConstraint("action IN (" + ",".join(f"'{a}'" for a in AUDIT_ACTIONS) + ")", name="audit_event_action"),
    Index("ix_audit_event_municipality", "municipality_id", "at"),
)

method_note = Table(
    "method_note",
    metadata,
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    # An area id, or '*' for every area without a note of its own.
    Column("area_id", String(16), nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("indicator_id", "area_id"),
)

# Every published version of this store, oldest first, carried from one publish to the next
# (``etl.revisions``): what "Nytt sedan …" offers.
publication = Table(
    "publication",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("published_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("build_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # demo / real / import
    Column("command", Text, nullable=False),
    Column("is_demo", Boolean, nullable=False),
    Column("note", Text, nullable=True),
)

# The note of the demo's simulated earlier version (etl.revisions.demo_history); the app marks it DEMO.
DEMO_PREVIOUS_NOTE = "DEMO: simulerad tidigare version (syntetiska värden)"
REVISION_CHANGES = ("new", "revised", "withdrawn")

# What changed between two published versions, cell by cell: a new figure, a revised one (old → new), or
# one that is no longer shown. Values only for cells published in the version that recorded them and in
# this one (the disclosure check holds the store to that); carried forward from publish to publish.
revision = Table(
    "revision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("published_at", String(32), nullable=False),  # when the version with the change was published
    Column("indicator_id", String(64), ForeignKey("indicator.id"), nullable=False),
    Column("area_id", String(32), ForeignKey("area.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("gender", String(1), nullable=False),
    Column("change", String(16), nullable=False),
    Column("old_value", Float, nullable=True),
    Column("new_value", Float, nullable=True),
    Column("is_demo", Boolean, nullable=False, default=False),
    CheckConstraint("change IN ('new','revised','withdrawn')", name="revision_change"),
    CheckConstraint("change != 'withdrawn' OR (old_value IS NULL AND new_value IS NULL)",
                    name="revision_withdrawn_is_empty"),
)
Index("ix_revision_published", revision.c.published_at)
Index("ix_revision_cell", revision.c.indicator_id, revision.c.area_id, revision.c.year)

# Rows every valid store must have at least one of.
REQUIRED_NONEMPTY = ("area", "indicator", "strategy", "focus_area", "goal", "observation")
