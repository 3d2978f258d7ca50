-- Escalation: where each paging incident stands in its policy (the policy snapshot itself is incident.policy).
-- step/pass name the next step to run and when (next_ms); state running, paused (acknowledged), done (no steps
-- left), stopped (resolved). The housekeeping beat runs due steps with a conditional update on (step, pass,
-- next_ms), so a second node running the same beat could not page twice.
CREATE TABLE incident_escalation (
    incident_id BIGINT       PRIMARY KEY REFERENCES incident (id),
    state       VARCHAR(16)  NOT NULL,
    step        INTEGER      NOT NULL,
    pass        INTEGER      NOT NULL,
    next_ms     BIGINT,
    updated_ms  BIGINT       NOT NULL
);
CREATE INDEX incident_escalation_due ON incident_escalation (state, next_ms);

-- Maintenance windows made through the API (those in the configuration are not stored): one-off (starts_ms,
-- ends_ms) or weekly (days, at_minute, duration_ms in time_zone, from starts_ms on). Ending one keeps its row.
-- Services and days are JSON lists. Times are epoch milliseconds (BIGINT), as in V1-V7.
CREATE TABLE maintenance_window (
    id          BIGINT        PRIMARY KEY,
    services    TEXT          NOT NULL,
    starts_ms   BIGINT        NOT NULL,
    ends_ms     BIGINT,
    days        TEXT,
    at_minute   INTEGER,
    duration_ms BIGINT,
    time_zone   VARCHAR(64)   NOT NULL,
    creator     VARCHAR(200)  NOT NULL,
    comment     VARCHAR(2000) NOT NULL,
    created_ms  BIGINT        NOT NULL,
    ended_by    VARCHAR(200)
);

CREATE TABLE maintenance_sequence (
    name  VARCHAR(40) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO maintenance_sequence (name, value) VALUES ('maintenance', 0);
