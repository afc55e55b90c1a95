-- From this version on, rows also record the streams whose usage never came (their client left, they broke, or their
-- provider reports none) with the estimate their client's limits were charged: a prompt token per four bytes of the
-- request, a completion token per event. estimated_requests counts how many of a row's requests are such estimates
-- (their tokens are in the token columns). Rows written before it recorded those streams with no tokens.
ALTER TABLE llmproxy_usage ADD COLUMN estimated_requests BIGINT DEFAULT 0 NOT NULL;
