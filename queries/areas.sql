-- Areas of one kind (country, county, municipality), names only.
-- params: kind
-- columns: id, name, parent_id
SELECT id, name, parent_id FROM area WHERE kind = :kind ORDER BY name
