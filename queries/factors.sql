-- Risk and protective factors with the indicators behind them.
-- params: -
-- columns: factor_id, name, type, level, category, description, source, position, indicator_id, ind_position, short_title, unit, decimals, polarity, levels
SELECT f.id AS factor_id, f.name, f.type, f.level, f.category, f.description, f.source, f.position,
       fi.indicator_id, fi.position AS ind_position, i.short_title, i.unit, i.decimals, i.polarity,
       i.levels
FROM factor f
JOIN factor_indicator fi ON fi.factor_id = f.id
JOIN indicator i ON i.id = fi.indicator_id
ORDER BY f.position, fi.position
