-- Comparison groups with their members (Kolada's peer groups, or demo groups marked as such).
-- params: -
-- columns: group_id, title, municipality_id, source, is_demo, area_id, area_name
SELECT g.id AS group_id, g.title, g.municipality_id, g.source, g.is_demo, m.area_id, a.name AS area_name
FROM area_group g
JOIN area_group_member m ON m.group_id = g.id
JOIN area a ON a.id = m.area_id
ORDER BY g.id, a.name
