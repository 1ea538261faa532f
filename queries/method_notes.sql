-- How an indicator's values are made, per area where that differs between areas ('*' = every other area).
-- params: -
-- columns: indicator_id, area_id, text
SELECT indicator_id, area_id, text
FROM method_note
ORDER BY indicator_id, area_id
