-- Every strategy in the store with its municipality and county.
-- params: -
-- columns: id, municipality_id, municipality, title, description, period_start, period_end, baseline_year, county_id, county, focus_area_label, focus_area_plural, sources
SELECT s.id, s.municipality_id, m.name AS municipality, s.title, s.description, s.period_start,
       s.period_end, s.baseline_year, s.county_id, c.name AS county, s.focus_area_label, s.focus_area_plural, s.sources
FROM strategy s
JOIN area m ON m.id = s.municipality_id
JOIN area c ON c.id = s.county_id
ORDER BY m.name
