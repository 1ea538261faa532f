-- The whole indicator catalogue.
-- params: -
-- columns: id, title, short_title, definition, unit, decimals, polarity, gender_split, gender_labels, source, source_name, source_id, kind, suppression_threshold, age_group, levels, risk_protective, note
SELECT id, title, short_title, definition, unit, decimals, polarity, gender_split, gender_labels,
       source, source_name, source_id, kind, suppression_threshold, age_group, levels,
       risk_protective, note
FROM indicator
ORDER BY id
