-- Post-incident reviews: one per incident, written after it is resolved. Which incidents need one and when it is
-- due follow from the incident and the config (incidents.review), so only what people write is stored here.
-- Times are epoch milliseconds (BIGINT), as in V1-V7, so the SQL runs on SQLite and PostgreSQL.
CREATE TABLE incident_review (
    incident_id          BIGINT       PRIMARY KEY REFERENCES incident (id),
    root_cause           TEXT,
    impact               TEXT,
    affected_users       TEXT,
    remediation          TEXT,
    detection_gap        TEXT,
    runbook_improvements TEXT,
    completed_ms         BIGINT,
    completed_by         VARCHAR(200),
    updated_ms           BIGINT       NOT NULL,
    updated_by           VARCHAR(200) NOT NULL
);

-- Corrective actions of a review, in the order written; a save replaces the whole list.
CREATE TABLE review_action (
    incident_id BIGINT        NOT NULL REFERENCES incident_review (incident_id),
    position    INTEGER       NOT NULL,
    description VARCHAR(2000) NOT NULL,
    owner       VARCHAR(200)  NOT NULL,
    due_date    VARCHAR(10)   NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    PRIMARY KEY (incident_id, position)
);
