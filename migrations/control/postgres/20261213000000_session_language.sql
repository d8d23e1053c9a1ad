-- The signed-in user's chosen language, copied from their account at sign-in and when they
-- change it, so a page knows its language without opening the workspace's database.
ALTER TABLE sessions ADD COLUMN language TEXT;
