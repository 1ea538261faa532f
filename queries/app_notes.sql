-- The notes written in the app for one municipality (not the catalogue's), newest first; removed ones
-- left out.
-- params: municipality_id
-- columns: uid, indicator_id, short_title, year, text, source, author_email, author_subject, created_at
SELECT a.uid, a.indicator_id, i.short_title, a.year, a.text, a.source, a.author_email, a.author_subject,
       a.created_at
FROM annotation a
JOIN indicator i ON i.id = a.indicator_id
WHERE a.municipality_id = :municipality_id AND a.uid IS NOT NULL AND a.removed_at IS NULL
ORDER BY a.created_at DESC, a.id DESC
