-- The focus areas of one strategy, in the strategy's order.
-- params: strategy_id
-- columns: id, position, code, title, subtitle, kind, description, agenda2030
SELECT id, position, code, title, subtitle, kind, description, agenda2030
FROM focus_area
WHERE strategy_id = :strategy_id
ORDER BY position
