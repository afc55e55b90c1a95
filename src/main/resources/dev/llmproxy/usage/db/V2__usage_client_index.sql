-- A client's month-to-date tokens (what client-key limits start from) select one client over a range of days.
CREATE INDEX llmproxy_usage_client_day ON llmproxy_usage (client, usage_day);
