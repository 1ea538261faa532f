-- Every goal of one strategy with its indicators and their metadata, in catalogue order. A target set in
-- the app (app_target, its newest row per goal and indicator) replaces the catalogue's; target_set_by and
-- target_set_at say who set it and when (NULL for the catalogue's own).
-- params: strategy_id
-- columns: focus_area_id, fa_position, goal_id, goal_code, goal_title, goal_description, goal_origin, goal_position, indicator_id, ind_position, label, is_primary, target_value, target_year, target_direction, target_source, target_set_by, target_set_at, title, short_title, unit, decimals, polarity, gender_split, gender_labels, kind, source, source_name, levels
SELECT g.focus_area_id, fa.position AS fa_position, g.id AS goal_id, g.code AS goal_code,
       g.title AS goal_title, g.description AS goal_description, g.origin AS goal_origin,
       g.position AS goal_position, gi.indicator_id, gi.position AS ind_position, gi.label,
       gi.is_primary,
       CASE WHEN t.uid IS NULL THEN gi.target_value ELSE t.target_value END AS target_value,
       CASE WHEN t.uid IS NULL THEN gi.target_year ELSE t.target_year END AS target_year,
       CASE WHEN t.uid IS NULL THEN gi.target_direction ELSE t.target_direction END AS target_direction,
       CASE WHEN t.uid IS NULL THEN gi.target_source ELSE t.target_source END AS target_source,
       COALESCE(t.author_email, t.author_subject) AS target_set_by, t.created_at AS target_set_at,
       i.title, i.short_title, i.unit, i.decimals, i.polarity, i.gender_split,
       i.gender_labels, i.kind, i.source, i.source_name, i.levels
FROM goal g
JOIN focus_area fa ON fa.id = g.focus_area_id
JOIN goal_indicator gi ON gi.goal_id = g.id
JOIN indicator i ON i.id = gi.indicator_id
LEFT JOIN app_target t ON t.id = (SELECT MAX(a.id) FROM app_target a
                                  WHERE a.goal_id = gi.goal_id AND a.indicator_id = gi.indicator_id)
WHERE fa.strategy_id = :strategy_id
ORDER BY fa.position, g.position, gi.position
