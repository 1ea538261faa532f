-- The action plan's follow-up for one focus area: every imported year of every action, newest first.
-- params: focus_area_id
-- columns: action_code, year, status, responsible, comment, source_file, imported_at
SELECT action_code, year, status, responsible, comment, source_file, imported_at
FROM action_status
WHERE focus_area_id = :focus_area_id
ORDER BY action_code, year DESC
