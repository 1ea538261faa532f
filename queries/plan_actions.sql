-- Every action of a strategy's action plan, in the plan's order, with the body that answers for it: the
-- responsible of its latest imported follow-up (NULL where none has been imported).
-- params: strategy_id
-- columns: focus_area_id, focus_area_code, focus_area_title, focus_area_kind, code, title, responsible
SELECT a.focus_area_id, f.code AS focus_area_code, f.title AS focus_area_title, f.kind AS focus_area_kind,
       a.code, a.title,
       (SELECT s.responsible FROM action_status s
        WHERE s.focus_area_id = a.focus_area_id AND s.action_code = a.code
        ORDER BY s.year DESC LIMIT 1) AS responsible
FROM focus_area_action a
JOIN focus_area f ON f.id = a.focus_area_id
WHERE f.strategy_id = :strategy_id
ORDER BY f.position, a.position
