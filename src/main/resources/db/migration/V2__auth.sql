-- Guard: users, dashboard sessions, API keys and login failures (for lockout).
-- Times are epoch milliseconds (BIGINT); booleans are SMALLINT 0/1, as in V1, so the SQL runs on SQLite and PostgreSQL.
CREATE TABLE users (
    name                 VARCHAR(64)  PRIMARY KEY,
    role                 VARCHAR(16)  NOT NULL,
    password_hash        VARCHAR(200) NOT NULL,
    must_change_password SMALLINT     NOT NULL,
    disabled             SMALLINT     NOT NULL,
    created_ms           BIGINT       NOT NULL,
    password_changed_ms  BIGINT
);

-- Only the SHA-256 of a session token is kept: a copy of this table lets nobody sign in.
CREATE TABLE sessions (
    token_hash   VARCHAR(64) PRIMARY KEY,
    user_name    VARCHAR(64) NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf_token   VARCHAR(64) NOT NULL,
    created_ms   BIGINT      NOT NULL,
    last_seen_ms BIGINT      NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_name);

-- owner is a user name, or for a service account the account's own name (not a user, so no foreign key).
CREATE TABLE api_keys (
    id              VARCHAR(16)  PRIMARY KEY,
    name            VARCHAR(100) NOT NULL,
    owner           VARCHAR(64)  NOT NULL,
    role            VARCHAR(16)  NOT NULL,
    service_account SMALLINT     NOT NULL,
    secret_hash     VARCHAR(64)  NOT NULL,
    created_ms      BIGINT       NOT NULL,
    expires_ms      BIGINT,
    last_used_ms    BIGINT,
    last_used_from  VARCHAR(100),
    revoked_ms      BIGINT
);
CREATE INDEX api_keys_by_owner ON api_keys (owner);

-- One row per failed login, counted per account (kind 'a') and per source address (kind 's').
CREATE TABLE login_failures (
    kind    CHAR(1)      NOT NULL,
    subject VARCHAR(100) NOT NULL,
    at_ms   BIGINT       NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (kind, subject, at_ms);
CREATE INDEX login_failures_by_time ON login_failures (at_ms);
