-- The action statuses reported in the app for one municipality, every state, newest first (the history:
-- a report is never overwritten).
-- params: municipality_id
-- columns: uid, focus_area_id, action_code, responsible, year, status, comment, reported_subject, reported_email, reported_at, state, reviewed_subject, reviewed_email, reviewed_at, rejection_reason
SELECT uid, focus_area_id, action_code, responsible, year, status, comment, reported_subject, reported_email,
       reported_at, state, reviewed_subject, reviewed_email, reviewed_at, rejection_reason
FROM action_report
WHERE municipality_id = :municipality_id
ORDER BY reported_at DESC, id DESC
