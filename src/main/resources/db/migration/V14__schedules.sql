-- Schedules: one row per fire time of a schedule. The primary key is the claim: a node runs a slot only when its
-- INSERT of (schedule, fire_ms) went in, so nodes sharing a store fire each slot once. Manual runs ("run now") are
-- rows too, with cause 'manual'; only 'schedule' rows count when the next slot is worked out after a restart.
-- status: queued, running, ok, failed, missed, skipped. ref links the backup id, runbook run id, drill run or check.
-- Times are epoch milliseconds, as in the other tables.
CREATE TABLE schedule_run (
    schedule    VARCHAR(100)  NOT NULL,
    fire_ms     BIGINT        NOT NULL,
    cause       VARCHAR(20)   NOT NULL,
    node        VARCHAR(200)  NOT NULL,
    status      VARCHAR(20)   NOT NULL,
    started_ms  BIGINT,
    ended_ms    BIGINT,
    target_kind VARCHAR(20)   NOT NULL,
    target_ref  VARCHAR(300)  NOT NULL,
    ref         VARCHAR(300),
    actor       VARCHAR(200),
    message     VARCHAR(4000),
    PRIMARY KEY (schedule, fire_ms)
);
CREATE INDEX schedule_run_by_status ON schedule_run (schedule, status);

-- When each schedule was first seen: a slot before that was never due, a slot after it with no row was missed.
CREATE TABLE schedule_seen (
    schedule VARCHAR(100) PRIMARY KEY,
    since_ms BIGINT       NOT NULL
);
