-- One indicator for every district of a municipality (one district system), one year and gender.
-- params: indicator_id, municipality_id, district_system, year, gender
-- A hidden cell comes back without value, interval or n even from a store built before that rule.
-- columns: area_id, value, n, ci_low, ci_high, status, status_reason, source, fetched_at, is_demo
SELECT o.area_id, CASE WHEN o.status = 'ok' THEN o.value END AS value,
       CASE WHEN o.status = 'ok' THEN o.n END AS n,
       CASE WHEN o.status = 'ok' THEN o.ci_low END AS ci_low,
       CASE WHEN o.status = 'ok' THEN o.ci_high END AS ci_high, o.status, o.status_reason, f.source,
       f.fetched_at, f.is_demo
FROM area a
JOIN observation o ON o.area_id = a.id
JOIN source_fetch f ON f.id = o.fetch_id
WHERE a.municipality_id = :municipality_id
  AND a.district_system = :district_system
  AND a.kind = 'district'
  AND o.indicator_id = :indicator_id
  AND o.year = :year
  AND o.gender = :gender
