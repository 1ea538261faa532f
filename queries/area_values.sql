-- Many indicators for a few areas (the overview and risk views): every year and gender.
-- params: area_ids, indicator_ids, year_from, year_to
-- expanding: area_ids, indicator_ids
-- A hidden cell comes back without value, interval or n even from a store built before that rule.
-- columns: indicator_id, area_id, year, gender, value, n, ci_low, ci_high, status, fetch_id
SELECT o.indicator_id, o.area_id, o.year, o.gender, CASE WHEN o.status = 'ok' THEN o.value END AS value,
       CASE WHEN o.status = 'ok' THEN o.n END AS n,
       CASE WHEN o.status = 'ok' THEN o.ci_low END AS ci_low,
       CASE WHEN o.status = 'ok' THEN o.ci_high END AS ci_high, o.status, o.fetch_id
FROM observation o
WHERE o.area_id IN :area_ids
  AND o.indicator_id IN :indicator_ids
  AND o.year BETWEEN :year_from AND :year_to
