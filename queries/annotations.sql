-- Local notes on one indicator's trend for one municipality: the indicator's own notes and those of the
-- strategy's focus areas the indicator belongs to, oldest first; a note removed in the app is left out.
-- params: municipality_id, indicator_id, strategy_id
-- columns: year, text, source, is_example, scope
SELECT a.year, a.text, a.source, a.is_example,
       CASE WHEN a.indicator_id IS NOT NULL THEN 'indicator' ELSE 'focus_area' END AS scope
FROM annotation a
WHERE a.municipality_id = :municipality_id
  AND a.removed_at IS NULL
  AND (a.indicator_id = :indicator_id
       OR a.focus_area_id IN (SELECT g.focus_area_id
                              FROM goal g
                              JOIN goal_indicator gi ON gi.goal_id = g.id
                              JOIN focus_area fa ON fa.id = g.focus_area_id
                              WHERE gi.indicator_id = :indicator_id AND fa.strategy_id = :strategy_id))
ORDER BY a.year, a.id
