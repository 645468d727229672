-- Which phone checked a person in (issue 13): a hash of the phone's random id, derived
-- differently from the survey respondent so it cannot link a name to survey answers.
-- Only that phone is told the person's table; NULL for a check-in at the desk.
ALTER TABLE participant ADD COLUMN checked_in_by TEXT;
