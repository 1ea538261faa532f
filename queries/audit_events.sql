-- The audit trail of writes made in the app concerning some municipalities, newest first.
-- params: municipality_ids
-- expanding: municipality_ids
-- columns: at, subject, email, action, municipality_id, target, details
SELECT at, subject, email, action, municipality_id, target, details
FROM audit_event
WHERE municipality_id IN :municipality_ids
ORDER BY at DESC, id DESC
