-- Alerts that are pending (waiting out `for`) or firing, one row per fingerprint; resolved alerts are deleted.
-- A restart reloads them, so a firing alert is not paged again and its resolution is still sent.
-- Times are epoch milliseconds (BIGINT), booleans SMALLINT 0/1, as in V1-V5, so the SQL runs on SQLite and PostgreSQL.
CREATE TABLE alert_active (
    fingerprint VARCHAR(64)   PRIMARY KEY,
    name        VARCHAR(300)  NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    severity    VARCHAR(2)    NOT NULL,
    service     VARCHAR(200),
    check_id    VARCHAR(400),
    since_ms    BIGINT        NOT NULL,
    suppressed  SMALLINT      NOT NULL,
    root_cause  VARCHAR(200),
    summary     VARCHAR(2000),
    description TEXT,
    runbook     VARCHAR(1000),
    labels      TEXT,
    measured    VARCHAR(400)
);
