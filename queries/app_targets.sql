-- Every target set in the app for one municipality's goals, newest first (the history; the newest row of a
-- goal and indicator is the one in force).
-- params: municipality_id
-- columns: uid, goal_id, goal_code, indicator_id, short_title, target_value, target_year, target_direction, target_source, author_email, author_subject, created_at
SELECT t.uid, t.goal_id, g.code AS goal_code, t.indicator_id, i.short_title, t.target_value, t.target_year,
       t.target_direction, t.target_source, t.author_email, t.author_subject, t.created_at
FROM app_target t
JOIN goal g ON g.id = t.goal_id
JOIN indicator i ON i.id = t.indicator_id
WHERE t.municipality_id = :municipality_id
ORDER BY t.id DESC
