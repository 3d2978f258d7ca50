-- Deploys: one row per change of a service's version, whether Opsdeck carried it out (source 'opsdeck', through
-- the service's deploy runbook, with a gate and a bake) or another tool reported it (source 'ci'). Times are epoch
-- milliseconds (BIGINT), as in the other tables, so the SQL runs on SQLite and PostgreSQL.
-- state: pending, running, verifying, succeeded, failed, rolled_back, rollback_failed, cancelled
CREATE TABLE deploy (
    id               VARCHAR(40)   PRIMARY KEY,
    service          VARCHAR(200)  NOT NULL,
    environment      VARCHAR(100)  NOT NULL,
    version          VARCHAR(200)  NOT NULL,
    previous_version VARCHAR(200),
    commit_ms        BIGINT,
    description      VARCHAR(2000),
    link             VARCHAR(2000),
    source           VARCHAR(20)   NOT NULL,
    actor            VARCHAR(200)  NOT NULL,
    state            VARCHAR(20)   NOT NULL,
    reason           VARCHAR(2000),
    run_id           VARCHAR(40),
    rollback_run_id  VARCHAR(40),
    rollback_of      VARCHAR(40),
    requested_ms     BIGINT        NOT NULL,
    started_ms       BIGINT,
    ended_ms         BIGINT,
    -- a CI tool's own id for the deploy, so a retried report is one record (unique per source)
    external_id      VARCHAR(200)
);
CREATE INDEX deploy_by_service ON deploy (service, requested_ms);
CREATE INDEX deploy_by_requested ON deploy (requested_ms);
CREATE UNIQUE INDEX deploy_external ON deploy (source, external_id);

-- The gate's and the bake's evidence: each health or analysis result, the failing response body kept (capped).
CREATE TABLE deploy_evidence (
    deploy_id   VARCHAR(40)   NOT NULL,
    seq         INTEGER       NOT NULL,
    phase       VARCHAR(20)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    passed      SMALLINT      NOT NULL,
    detail      VARCHAR(2000),
    body        TEXT,
    at_ms       BIGINT        NOT NULL,
    PRIMARY KEY (deploy_id, seq)
);

-- One deploy at a time per service: a second active deploy carried out by Opsdeck is refused even when two nodes
-- insert at once (a CI tool's records are not held to it: Opsdeck does not carry those out).
CREATE UNIQUE INDEX deploy_one_active ON deploy (service) WHERE source = 'opsdeck' AND state IN ('pending', 'running', 'verifying');
