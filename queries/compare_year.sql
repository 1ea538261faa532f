-- One indicator in one year and gender for every area of one kind (ranking, map of Sweden).
-- params: indicator_id, year, gender, kind
-- A hidden cell comes back without value, interval or n even from a store built before that rule.
-- columns: area_id, area_name, parent_id, value, n, ci_low, ci_high, status, source, fetched_at, is_demo
SELECT o.area_id, a.name AS area_name, a.parent_id, CASE WHEN o.status = 'ok' THEN o.value END AS value,
       CASE WHEN o.status = 'ok' THEN o.n END AS n,
       CASE WHEN o.status = 'ok' THEN o.ci_low END AS ci_low,
       CASE WHEN o.status = 'ok' THEN o.ci_high END AS ci_high, o.status, f.source, f.fetched_at, f.is_demo
FROM observation o
JOIN source_fetch f ON f.id = o.fetch_id
JOIN area a ON a.id = o.area_id
WHERE o.indicator_id = :indicator_id
  AND o.year = :year
  AND o.gender = :gender
  AND a.kind = :kind
ORDER BY o.value DESC
