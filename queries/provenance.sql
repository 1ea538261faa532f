-- Every build run and source fetch: what, when, how many rows, demo or not.
-- params: -
-- columns: run_id, kind, command, started_at, finished_at, status, fetch_id, source, what, fetched_at, rows, is_demo, note
SELECT r.id AS run_id, r.kind, r.command, r.started_at, r.finished_at, r.status,
       f.id AS fetch_id, f.source, f.what, f.fetched_at, f.rows, f.is_demo, f.note
FROM build_run r
LEFT JOIN source_fetch f ON f.run_id = r.id
ORDER BY r.id DESC, f.id
