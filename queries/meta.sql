-- The store's own facts: schema version, demo flag, build time.
-- params: -
-- columns: key, value
SELECT key, value FROM meta ORDER BY key
