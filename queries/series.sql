-- One indicator's values for some areas over a year range, every gender, with their source.
-- params: indicator_id, area_ids, year_from, year_to
-- expanding: area_ids
-- A hidden cell comes back without value, interval or n even from a store built before that rule.
-- columns: area_id, area_name, year, gender, value, n, ci_low, ci_high, status, status_reason, source, fetched_at, is_demo
SELECT o.area_id, a.name AS area_name, o.year, o.gender, CASE WHEN o.status = 'ok' THEN o.value END AS value,
       CASE WHEN o.status = 'ok' THEN o.n END AS n,
       CASE WHEN o.status = 'ok' THEN o.ci_low END AS ci_low,
       CASE WHEN o.status = 'ok' THEN o.ci_high END AS ci_high,
       o.status, o.status_reason, f.source, f.fetched_at, f.is_demo
FROM observation o
JOIN area a ON a.id = o.area_id
JOIN source_fetch f ON f.id = o.fetch_id
WHERE o.indicator_id = :indicator_id
  AND o.area_id IN :area_ids
  AND o.year BETWEEN :year_from AND :year_to
ORDER BY o.area_id, o.year, o.gender
