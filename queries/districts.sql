-- The districts of one municipality, with their stored (simplified) geometry.
-- params: municipality_id
-- columns: id, name, parent_id, district_system, vintage, is_demo, geometry, centroid_lon, centroid_lat
SELECT id, name, parent_id, district_system, vintage, is_demo, geometry, centroid_lon, centroid_lat
FROM area
WHERE municipality_id = :municipality_id AND kind = 'district'
ORDER BY district_system, name
