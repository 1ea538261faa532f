-- Every goal of one strategy with its indicators and their metadata, in catalogue order.
-- params: strategy_id
-- columns: focus_area_id, fa_position, goal_id, goal_code, goal_title, goal_description, goal_origin, goal_position, indicator_id, ind_position, label, is_primary, target_value, target_year, target_direction, target_source, title, short_title, unit, decimals, polarity, gender_split, gender_labels, kind, source, source_name, levels
SELECT g.focus_area_id, fa.position AS fa_position, g.id AS goal_id, g.code AS goal_code,
       g.title AS goal_title, g.description AS goal_description, g.origin AS goal_origin,
       g.position AS goal_position, gi.indicator_id, gi.position AS ind_position, gi.label,
       gi.is_primary, gi.target_value, gi.target_year, gi.target_direction, gi.target_source, i.title, i.short_title, i.unit, i.decimals, i.polarity, i.gender_split,
       i.gender_labels, i.kind, i.source, i.source_name, i.levels
FROM goal g
JOIN focus_area fa ON fa.id = g.focus_area_id
JOIN goal_indicator gi ON gi.goal_id = g.id
JOIN indicator i ON i.id = gi.indicator_id
WHERE fa.strategy_id = :strategy_id
ORDER BY fa.position, g.position, gi.position
