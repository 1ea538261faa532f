-- Where each indicator's values came from: source, fetch date, demo or not, years covered.
-- params: -
-- columns: indicator_id, source, fetched_at, is_demo, first_year, last_year, rows, suppressed
SELECT ic.indicator_id, f.source, f.fetched_at, f.is_demo, ic.first_year, ic.last_year, ic.rows,
       ic.suppressed
FROM indicator_coverage ic
JOIN source_fetch f ON f.id = ic.fetch_id
ORDER BY ic.indicator_id, f.fetched_at
