-- The store's published versions, oldest first (what "Nytt sedan …" offers).
-- params: -
-- columns: published_at, kind, command, is_demo, note
SELECT published_at, kind, command, is_demo, note
FROM publication
ORDER BY published_at, id
