-- Figures of one municipality (and its districts) in one strategy that were new, revised or withdrawn in
-- a version published after the time given (ISO 8601, UTC), oldest first. A value only where the cell is
-- published now (the store keeps none otherwise; the join says so again).
-- params: municipality_id, strategy_id, after
-- The source of the value shown (the cell's current fetch), none for a withdrawn figure.
-- columns: published_at, indicator_id, area_id, area_name, area_kind, year, gender, change, old_value, new_value, is_demo, current_status, source, fetched_at, source_is_demo
SELECT r.published_at, r.indicator_id, r.area_id, a.name AS area_name, a.kind AS area_kind, r.year, r.gender,
       r.change,
       CASE WHEN o.status = 'ok' THEN r.old_value END AS old_value,
       CASE WHEN o.status = 'ok' THEN r.new_value END AS new_value,
       r.is_demo, o.status AS current_status,
       CASE WHEN o.status = 'ok' THEN f.source END AS source,
       CASE WHEN o.status = 'ok' THEN f.fetched_at END AS fetched_at,
       CASE WHEN o.status = 'ok' THEN f.is_demo END AS source_is_demo
FROM revision r
JOIN area a ON a.id = r.area_id
LEFT JOIN observation o
  ON o.indicator_id = r.indicator_id AND o.area_id = r.area_id AND o.year = r.year AND o.gender = r.gender
LEFT JOIN source_fetch f ON f.id = o.fetch_id
WHERE r.published_at > :after
  AND a.municipality_id = :municipality_id
  AND r.indicator_id IN (SELECT gi.indicator_id
                         FROM goal_indicator gi
                         JOIN goal g ON g.id = gi.goal_id
                         JOIN focus_area fa ON fa.id = g.focus_area_id
                         WHERE fa.strategy_id = :strategy_id)
ORDER BY r.published_at, r.id
