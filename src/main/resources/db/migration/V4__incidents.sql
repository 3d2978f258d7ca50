-- Incidents: alerts grouped by root cause or dedup key, their timeline and the notifications they asked for.
-- Times are epoch milliseconds (BIGINT), booleans SMALLINT 0/1, as in V1-V3, so the SQL runs on SQLite and PostgreSQL.
CREATE TABLE incident (
    id               BIGINT        PRIMARY KEY,
    group_key        VARCHAR(600)  NOT NULL,
    title            VARCHAR(1000) NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    severity         VARCHAR(2)    NOT NULL,
    service          VARCHAR(200),
    runbook          VARCHAR(1000),
    policy           TEXT,
    assignee         VARCHAR(200),
    paged            SMALLINT      NOT NULL,
    notify_seq       INTEGER       NOT NULL,
    opened_ms        BIGINT        NOT NULL,
    acked_ms         BIGINT,
    acked_by         VARCHAR(200),
    first_acked_ms   BIGINT,
    resolved_ms      BIGINT,
    resolved_by      VARCHAR(200),
    ack_due_ms       BIGINT,
    resolve_due_ms   BIGINT,
    ack_breached     SMALLINT      NOT NULL,
    resolve_breached SMALLINT      NOT NULL,
    updated_ms       BIGINT        NOT NULL
);
-- one open incident per group: a second alert of the same outage joins it instead of opening another
CREATE UNIQUE INDEX incident_open_group ON incident (group_key) WHERE resolved_ms IS NULL;
CREATE INDEX incident_by_state ON incident (state, severity);
CREATE INDEX incident_by_opened ON incident (opened_ms);

-- The alerts of an incident, one row per fingerprint (the dedup key); a re-fire updates the row.
CREATE TABLE incident_alert (
    incident_id BIGINT        NOT NULL REFERENCES incident (id),
    fingerprint VARCHAR(300)  NOT NULL,
    source      VARCHAR(40)   NOT NULL,
    name        VARCHAR(300)  NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    severity    VARCHAR(2)    NOT NULL,
    service     VARCHAR(200),
    suppressed  SMALLINT      NOT NULL,
    summary     VARCHAR(2000),
    runbook     VARCHAR(1000),
    labels      TEXT,
    fired_ms    BIGINT        NOT NULL,
    resolved_ms BIGINT,
    PRIMARY KEY (incident_id, fingerprint)
);
CREATE INDEX incident_alert_by_fingerprint ON incident_alert (fingerprint, state);

-- Services down because of the incident's root cause (attached, not paged).
CREATE TABLE incident_impact (
    incident_id BIGINT       NOT NULL REFERENCES incident (id),
    service     VARCHAR(200) NOT NULL,
    PRIMARY KEY (incident_id, service)
);

-- Everything that happened, in order: alerts, notifications, acknowledgements, notes, assignments, states.
CREATE TABLE incident_timeline (
    id          BIGINT       PRIMARY KEY,
    incident_id BIGINT       NOT NULL REFERENCES incident (id),
    at_ms       BIGINT       NOT NULL,
    kind        VARCHAR(40)  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    text        TEXT,
    details     TEXT
);
CREATE INDEX incident_timeline_by_incident ON incident_timeline (incident_id, id);

-- A notification is written here in the same transaction as the change that causes it, then handed to the
-- outbox; outbox_id stays null until that worked, so a crash in between is retried (same idempotency key).
CREATE TABLE incident_notification (
    idempotency_key VARCHAR(300) PRIMARY KEY,
    incident_id     BIGINT       NOT NULL REFERENCES incident (id),
    channel         VARCHAR(200) NOT NULL,
    template        VARCHAR(100) NOT NULL,
    fields          TEXT         NOT NULL,
    created_ms      BIGINT       NOT NULL,
    outbox_id       BIGINT,
    delivery        VARCHAR(200)
);
CREATE INDEX incident_notification_by_incident ON incident_notification (incident_id);
CREATE INDEX incident_notification_pending ON incident_notification (outbox_id);

-- Ids from counters incremented in the writing transaction, as for the audit log (no shared autoincrement syntax).
CREATE TABLE incident_sequence (
    name  VARCHAR(40) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO incident_sequence (name, value) VALUES ('incident', 0);
INSERT INTO incident_sequence (name, value) VALUES ('timeline', 0);
