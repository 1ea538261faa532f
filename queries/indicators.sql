-- The whole indicator catalogue.
-- params: -
-- columns: id, title, short_title, definition, unit, decimals, polarity, gender_split, gender_labels, source, source_name, source_id, kind, suppression_threshold, age_group, levels, risk_protective, note, moving_average, repeated_years, population_kpi
SELECT id, title, short_title, definition, unit, decimals, polarity, gender_split, gender_labels,
       source, source_name, source_id, kind, suppression_threshold, age_group, levels,
       risk_protective, note, moving_average, repeated_years, population_kpi
FROM indicator
ORDER BY id
