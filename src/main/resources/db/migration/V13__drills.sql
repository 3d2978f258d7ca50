-- Restore drills: one row per run, one row per expectation checked. restore_ms is the measured restore time (the
-- real RTO), rpo_ms the restored backup's age when the restore began. A run left 'running' by a process that died
-- is marked failed at the next start, and its scratch database or private instance is removed then.
-- Times are epoch milliseconds, as in V1-V10.
CREATE TABLE drill_run (
    id          BIGINT        PRIMARY KEY,
    drill       VARCHAR(100)  NOT NULL,
    target      VARCHAR(100)  NOT NULL,
    actor       VARCHAR(200)  NOT NULL,
    status      VARCHAR(20)   NOT NULL,
    started_ms  BIGINT        NOT NULL,
    finished_ms BIGINT,
    backup_id   BIGINT,
    backup_file VARCHAR(300),
    scratch     VARCHAR(1000),
    restore_ms  BIGINT,
    rpo_ms      BIGINT,
    error       VARCHAR(4000)
);
CREATE INDEX drill_run_by_drill ON drill_run (drill, started_ms);

-- passed: 'passed' or 'failed'; detail says what was measured, e.g. "trades: 100000 rows, at least 1"
CREATE TABLE drill_check (
    run_id   BIGINT        NOT NULL,
    position INTEGER       NOT NULL,
    name     VARCHAR(300)  NOT NULL,
    outcome  VARCHAR(20)   NOT NULL,
    detail   VARCHAR(4000) NOT NULL,
    PRIMARY KEY (run_id, position)
);

INSERT INTO backup_sequence (name, value) VALUES ('drill', 0);
