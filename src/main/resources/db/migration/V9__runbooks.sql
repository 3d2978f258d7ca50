-- Runbook runs and their steps: the evidence of what a runbook did, step by step. Parameters and output are
-- stored with secrets already masked. Times are epoch milliseconds (BIGINT), as in V1-V7, so the SQL runs on
-- SQLite and PostgreSQL. A run still 'running' when the server starts was cut short by a crash: the server
-- marks it 'interrupted' at the step it was in, from where an operator can resume it.
CREATE TABLE runbook_run (
    id              VARCHAR(40)   PRIMARY KEY,
    runbook_id      VARCHAR(80)   NOT NULL,
    definition_hash VARCHAR(40)   NOT NULL,
    params          TEXT          NOT NULL,
    started_by      VARCHAR(200)  NOT NULL,
    incident_id     BIGINT,
    parent_run      VARCHAR(40),
    status          VARCHAR(20)   NOT NULL,
    current_step    VARCHAR(80),
    message         VARCHAR(2000),
    created_ms      BIGINT        NOT NULL,
    started_ms      BIGINT,
    ended_ms        BIGINT,
    target_ms       BIGINT
);
CREATE INDEX runbook_run_by_runbook ON runbook_run (runbook_id, created_ms);
CREATE INDEX runbook_run_by_status ON runbook_run (status);

CREATE TABLE runbook_step_run (
    run_id      VARCHAR(40)   NOT NULL,
    seq         INTEGER       NOT NULL,
    step_id     VARCHAR(80)   NOT NULL,
    phase       VARCHAR(10)   NOT NULL,
    type        VARCHAR(20)   NOT NULL,
    status      VARCHAR(20)   NOT NULL,
    attempts    INTEGER       NOT NULL,
    started_ms  BIGINT        NOT NULL,
    ended_ms    BIGINT,
    target_ms   BIGINT,
    exit_code   INTEGER,
    output      TEXT,
    extracted   TEXT,
    message     VARCHAR(2000),
    decided_by  VARCHAR(200),
    PRIMARY KEY (run_id, seq)
);
