-- The action plan's follow-up for one focus area: every imported year of every action and every report made
-- in the app that the coordinator approved (never a submitted or rejected one), newest first.
-- params: focus_area_id
-- columns: action_code, year, status, responsible, comment, source_file, imported_at, origin, reported_by, approved_by, approved_at
SELECT action_code, year, status, responsible, comment, source_file, imported_at, origin, reported_by,
       approved_by, approved_at
FROM (
    SELECT action_code, year, status, responsible, comment, source_file, imported_at, 'import' AS origin,
           NULL AS reported_by, NULL AS approved_by, NULL AS approved_at, imported_at AS at
    FROM action_status
    WHERE focus_area_id = :focus_area_id
    UNION ALL
    SELECT action_code, year, status, responsible, comment, NULL, NULL, 'app',
           COALESCE(reported_email, reported_subject), COALESCE(reviewed_email, reviewed_subject), reviewed_at,
           reviewed_at
    FROM action_report
    WHERE focus_area_id = :focus_area_id AND state = 'godkänd'
) follow
ORDER BY action_code, year DESC, at DESC
