-- Readiness checklists: each run, each item's result in it (state, evidence masked and capped), manual
-- attestations and waivers. Ids are random text, times epoch milliseconds (BIGINT) and booleans SMALLINT 0/1, as
-- in the other tables, so the SQL runs on SQLite and PostgreSQL. Rows are never updated except a waiver's approval.
CREATE TABLE checklist_run (
    id          VARCHAR(40)   PRIMARY KEY,
    checklist   VARCHAR(100)  NOT NULL,
    cause       VARCHAR(20)   NOT NULL,
    actor       VARCHAR(200)  NOT NULL,
    config_hash VARCHAR(40)   NOT NULL,
    started_ms  BIGINT        NOT NULL,
    ended_ms    BIGINT        NOT NULL,
    score       INTEGER       NOT NULL,
    ready       SMALLINT      NOT NULL
);
CREATE INDEX checklist_run_by_list ON checklist_run (checklist, started_ms);

-- state: passed, failed, warning, waived, attested, unattested, expired, error
CREATE TABLE checklist_result (
    run_id      VARCHAR(40)   NOT NULL,
    item_id     VARCHAR(100)  NOT NULL,
    checklist   VARCHAR(100)  NOT NULL,
    state       VARCHAR(20)   NOT NULL,
    message     VARCHAR(2000),
    evidence    TEXT,
    duration_ms BIGINT        NOT NULL,
    at_ms       BIGINT        NOT NULL,
    PRIMARY KEY (run_id, item_id)
);
CREATE INDEX checklist_result_by_item ON checklist_result (checklist, item_id, at_ms);

CREATE TABLE checklist_attestation (
    id          VARCHAR(40)   PRIMARY KEY,
    checklist   VARCHAR(100)  NOT NULL,
    item_id     VARCHAR(100)  NOT NULL,
    note        VARCHAR(4000) NOT NULL,
    attested_by VARCHAR(200)  NOT NULL,
    attested_ms BIGINT        NOT NULL,
    expires_ms  BIGINT        NOT NULL
);
CREATE INDEX checklist_attestation_by_item ON checklist_attestation (checklist, item_id, attested_ms);

-- approved_by is null while the waiver waits for an approver (who must not be its requester)
CREATE TABLE checklist_waiver (
    id           VARCHAR(40)   PRIMARY KEY,
    checklist    VARCHAR(100)  NOT NULL,
    item_id      VARCHAR(100)  NOT NULL,
    reason       VARCHAR(4000) NOT NULL,
    requested_by VARCHAR(200)  NOT NULL,
    requested_ms BIGINT        NOT NULL,
    expires_ms   BIGINT        NOT NULL,
    approved_by  VARCHAR(200),
    approved_ms  BIGINT
);
CREATE INDEX checklist_waiver_by_item ON checklist_waiver (checklist, item_id, requested_ms);
