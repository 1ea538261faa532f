-- Where one municipality stands among every municipality with a published value, per indicator, year and
-- gender (Kolada's quartiles, Fingertips' spine chart): how many municipalities have a value, how many lie
-- above and below it. Hidden and missing cells count for nobody (status 'ok' only, on both sides).
-- params: area_id, indicator_ids, genders, year_to
-- expanding: indicator_ids, genders
-- columns: indicator_id, year, gender, municipalities, above, below
SELECT s.indicator_id, s.year, s.gender, COUNT(o.area_id) AS municipalities,
       SUM(CASE WHEN o.value > s.value THEN 1 ELSE 0 END) AS above,
       SUM(CASE WHEN o.value < s.value THEN 1 ELSE 0 END) AS below
FROM observation s
JOIN observation o ON o.indicator_id = s.indicator_id AND o.year = s.year AND o.gender = s.gender
                  AND o.status = 'ok'
JOIN area a ON a.id = o.area_id AND a.kind = 'municipality'
WHERE s.area_id = :area_id
  AND s.indicator_id IN :indicator_ids
  AND s.gender IN :genders
  AND s.status = 'ok'
  AND s.year <= :year_to
GROUP BY s.indicator_id, s.year, s.gender
