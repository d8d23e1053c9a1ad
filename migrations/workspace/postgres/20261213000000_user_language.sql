-- The language a user chose in their settings (`en`, `fr`); NULL follows the browser.
ALTER TABLE users ADD COLUMN language TEXT;
