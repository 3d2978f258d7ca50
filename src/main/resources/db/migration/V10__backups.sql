-- Backups: one row per attempt, one row per copy in a destination. A backup counts as successful only once
-- it is 'verified' (every copy re-read and its checksum compared, the archive tested). A row left 'running' by
-- a process that died is marked failed at the next start. Times are epoch milliseconds, as in V1-V7.
CREATE TABLE backup (
    id          BIGINT        PRIMARY KEY,
    target      VARCHAR(100)  NOT NULL,
    file_name   VARCHAR(300)  NOT NULL,
    status      VARCHAR(20)   NOT NULL,
    started_ms  BIGINT        NOT NULL,
    finished_ms BIGINT,
    verified_ms BIGINT,
    size_bytes  BIGINT,
    sha256      VARCHAR(64),
    manifest    TEXT,
    error       VARCHAR(4000)
);
CREATE INDEX backup_by_target ON backup (target, started_ms);

-- status: pending (upload waiting for a retry), verified, failed (gave up), deleted (by retention)
CREATE TABLE backup_copy (
    backup_id       BIGINT        NOT NULL,
    destination     VARCHAR(100)  NOT NULL,
    location        VARCHAR(1000) NOT NULL,
    status          VARCHAR(20)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_ms BIGINT,
    verified_ms     BIGINT,
    error           VARCHAR(4000),
    PRIMARY KEY (backup_id, destination)
);

CREATE TABLE backup_sequence (
    name  VARCHAR(40) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO backup_sequence (name, value) VALUES ('backup', 0);
