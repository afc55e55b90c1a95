-- From this version on, a row sums the requests of one UTC minute that share client, model, provider, dialect,
-- endpoint, outcome and status: occurred_at is the minute's start, requests how many it sums, the token columns and
-- duration_ms their sums. Rows written before it are one request each, which the default says.
ALTER TABLE llmproxy_usage ADD COLUMN requests BIGINT DEFAULT 1 NOT NULL;
