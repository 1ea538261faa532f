-- Where indicator series break (a new area division, a changed definition): values from `year` on are
-- not comparable with earlier ones.
-- params: -
-- columns: indicator_id, year, description, areas
SELECT indicator_id, year, description, areas
FROM series_break
ORDER BY indicator_id, year
