-- One indicator for every district of a municipality (one district system), one year and gender.
-- params: indicator_id, municipality_id, district_system, year, gender
-- columns: area_id, value, n, ci_low, ci_high, status, status_reason
SELECT o.area_id, o.value, o.n, o.ci_low, o.ci_high, o.status, o.status_reason
FROM area a
JOIN observation o ON o.area_id = a.id
WHERE a.municipality_id = :municipality_id
  AND a.district_system = :district_system
  AND a.kind = 'district'
  AND o.indicator_id = :indicator_id
  AND o.year = :year
  AND o.gender = :gender
