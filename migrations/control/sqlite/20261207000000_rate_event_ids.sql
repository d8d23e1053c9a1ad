-- Each rate-limit event gets its own id, so an attempt that is refused or succeeds can take
-- back exactly its own event, even beside others of the same millisecond.
ALTER TABLE rate_events ADD COLUMN id TEXT;
CREATE INDEX rate_events_id_idx ON rate_events (id);
