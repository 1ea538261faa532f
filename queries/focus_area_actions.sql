-- The actions (åtgärder) of one focus area, in order.
-- params: focus_area_id
-- columns: position, code, title, text
SELECT position, code, title, text
FROM focus_area_action
WHERE focus_area_id = :focus_area_id
ORDER BY position
