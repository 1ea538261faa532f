-- Areas of one kind with their stored outline (for maps).
-- params: kind
-- columns: id, name, geometry
SELECT id, name, geometry FROM area WHERE kind = :kind AND geometry IS NOT NULL ORDER BY id
