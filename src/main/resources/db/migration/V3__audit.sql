-- Who did what, when, from where. Append-only: the code has no UPDATE or DELETE for it.
CREATE TABLE audit_log (
    id      BIGINT       PRIMARY KEY,
    at_ms   BIGINT       NOT NULL,
    actor   VARCHAR(200) NOT NULL,
    source  VARCHAR(100),
    action  VARCHAR(100) NOT NULL,
    target  VARCHAR(300),
    outcome VARCHAR(20)  NOT NULL,
    details TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);

-- Ids come from this one-row counter, incremented in the writing transaction: SQLite and PostgreSQL
-- share no autoincrement syntax, and the row lock makes ids follow commit order across nodes.
CREATE TABLE audit_sequence (
    name  VARCHAR(40) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO audit_sequence (name, value) VALUES ('audit_log', 0);
