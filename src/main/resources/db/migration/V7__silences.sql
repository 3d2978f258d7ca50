-- Silences: alerts matching them while active are recorded but do not page. Expiring one keeps its row, so who
-- silenced what, when and why stays answerable. Matchers are a JSON list of {name, op, value}.
-- Times are epoch milliseconds (BIGINT), as in V1-V6, so the SQL runs on SQLite and PostgreSQL.
CREATE TABLE silence (
    id         BIGINT        PRIMARY KEY,
    matchers   TEXT          NOT NULL,
    starts_ms  BIGINT        NOT NULL,
    ends_ms    BIGINT        NOT NULL,
    creator    VARCHAR(200)  NOT NULL,
    comment    VARCHAR(2000) NOT NULL,
    created_ms BIGINT        NOT NULL,
    expired_by VARCHAR(200)
);
CREATE INDEX silence_by_end ON silence (ends_ms);

-- Ids from a counter incremented in the writing transaction, as for the audit log (no shared autoincrement syntax).
CREATE TABLE silence_sequence (
    name  VARCHAR(40) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO silence_sequence (name, value) VALUES ('silence', 0);
