-- The usage table of Embeddings.Usage.PostgreSql: one row per call to an embedding service (one request batch with
-- its retries). Safe to run again. Apply it with psql or your migration tool, or let the recorder run it at start-up
-- (PostgreSqlUsageRecorderOptions.CreateTableIfMissing).

CREATE TABLE IF NOT EXISTS ai_calls (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "timestamp"     timestamptz      NOT NULL, -- when the call started
    provider        text             NOT NULL, -- the provider that made the call, e.g. huggingface
    model           text             NOT NULL, -- the model id, e.g. google/siglip2-base-patch16-224
    task            text,                      -- the route: feature-extraction, embed, embeddings, predict, image-embedding
    modality        text             NOT NULL, -- text or image
    endpoint        text,                      -- the service's scheme, host, port and path (no query, no credentials)
    inputs          integer          NOT NULL, -- inputs the call carried
    succeeded       integer          NOT NULL, -- inputs that got a vector
    latency_ms      double precision NOT NULL, -- start of the first attempt to end of the last, retry delays included
    attempts        integer          NOT NULL, -- requests sent; 0 when a circuit breaker refused the call
    outcome         text             NOT NULL, -- succeeded, failed or cancelled
    failure_kind    text,                      -- transport, timeout, http_status, rate_limited, unauthorized, malformed_response, circuit_open
    status_code     integer,                   -- HTTP status of the last attempt, when one was received
    fallback_reason text,                      -- why a fallback served the inputs instead, when one did
    input_tokens    integer,                   -- input tokens, when the service reported them
    cost            numeric                    -- from the configured price; NULL when none is configured, 0 for failed calls
);

-- Time-range queries across providers.
CREATE INDEX IF NOT EXISTS ai_calls_timestamp_idx ON ai_calls ("timestamp");

-- The cost-per-day query (sql/cost-per-day.sql): one provider over a time range, answered from the index alone.
CREATE INDEX IF NOT EXISTS ai_calls_provider_timestamp_idx ON ai_calls (provider, "timestamp") INCLUDE (model, inputs, succeeded, cost);

-- The same per model.
CREATE INDEX IF NOT EXISTS ai_calls_model_timestamp_idx ON ai_calls (model, "timestamp") INCLUDE (inputs, succeeded, cost);
