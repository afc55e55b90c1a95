-- From this version on, rows also keep the provider's model that answered (one client model id may pool several
-- models at one provider, at different prices) and what their requests were charged, in USD: the sum of what each
-- request's client limits counted (0 for a model without price). upstream_model joins the key a row sums by;
-- cost_usd is summed. Rows written before it have neither (NULL): restoring a month prices them as the running config
-- prices their model and provider, as before.
ALTER TABLE llmproxy_usage ADD COLUMN upstream_model VARCHAR(512);
ALTER TABLE llmproxy_usage ADD COLUMN cost_usd DECIMAL(24, 9);
