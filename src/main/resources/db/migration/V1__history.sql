-- Raw probe results, kept for monitoring.history.raw (48 h by default).
CREATE TABLE check_result (
    check_id    VARCHAR(200) NOT NULL,
    at_ms       BIGINT       NOT NULL,
    status      SMALLINT     NOT NULL,
    latency_ms  INTEGER      NOT NULL,
    message     VARCHAR(300)
);
CREATE INDEX check_result_by_check ON check_result (check_id, at_ms);
CREATE INDEX check_result_by_time ON check_result (at_ms);

-- Additive rollups per minute (m), hour (h) and day (d). Counts by status and a fixed
-- latency histogram (bounds in LatencyHistogram) so uptime and percentiles are sums.
CREATE TABLE check_rollup (
    check_id    VARCHAR(200) NOT NULL,
    resolution  CHAR(1)      NOT NULL,
    bucket_ms   BIGINT       NOT NULL,
    up          INTEGER      NOT NULL,
    degraded    INTEGER      NOT NULL,
    down        INTEGER      NOT NULL,
    latency_sum BIGINT       NOT NULL,
    latency_max INTEGER      NOT NULL,
    l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL,
    l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL,
    l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL,
    l12 INTEGER NOT NULL, l13 INTEGER NOT NULL,
    PRIMARY KEY (check_id, resolution, bucket_ms)
);
CREATE INDEX check_rollup_by_time ON check_rollup (resolution, bucket_ms);

-- The last known state of every check, so a restart (or another node) resumes it.
CREATE TABLE check_state (
    check_id        VARCHAR(200) PRIMARY KEY,
    status          VARCHAR(10)  NOT NULL,
    since_ms        BIGINT       NOT NULL,
    failures        INTEGER      NOT NULL,
    successes       INTEGER      NOT NULL,
    flapping        SMALLINT     NOT NULL,
    last_at_ms      BIGINT       NOT NULL,
    last_latency_ms INTEGER      NOT NULL,
    last_message    VARCHAR(300),
    definition_hash VARCHAR(40)  NOT NULL
);
