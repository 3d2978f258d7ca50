-- The notification outbox: a message is a row before anyone tries to send it, so a crash loses nothing.
-- status: pending (waiting for its next attempt, or being attempted), delivered, failed (retry horizon passed).
-- next_attempt_ms is also the lease of an attempt in flight: claiming a row moves it past the attempt's
-- timeout, so the row comes due again by itself if the node that claimed it dies.
CREATE TABLE outbox (
    id              BIGINT       PRIMARY KEY,
    idempotency_key VARCHAR(300) NOT NULL UNIQUE,
    channel         VARCHAR(100) NOT NULL,
    template        VARCHAR(40)  NOT NULL,
    fields          TEXT         NOT NULL,
    status          VARCHAR(12)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    created_ms      BIGINT       NOT NULL,
    next_attempt_ms BIGINT       NOT NULL,
    last_attempt_ms BIGINT,
    delivered_ms    BIGINT,
    last_error      VARCHAR(500)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_ms);
CREATE INDEX outbox_by_channel ON outbox (channel, id);

-- Ids from a one-row counter, as for audit_log: no autoincrement syntax is shared by SQLite and PostgreSQL.
CREATE TABLE outbox_sequence (
    name  VARCHAR(40) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO outbox_sequence (name, value) VALUES ('outbox', 0);
