-- The credential and certificate inventory. Nothing here is a secret: a credential row keeps keyed fingerprints
-- (HMAC-SHA256 under the installation's key in data_dir/credential.key), which only tell "same" or "changed".
-- Times are epoch milliseconds, as in the other tables.
-- credential_state: per configured credential, what Opsdeck last read and when it saw the value change.
-- previous_fingerprint and previous_until_ms hold the value a rotation replaced while its overlap window lasts.
-- alerted lists the alerts that fire for it now (overdue, source), so a refresh never fires one twice.
CREATE TABLE credential_state (
    name                 VARCHAR(100)  PRIMARY KEY,
    fingerprint          VARCHAR(64),
    previous_fingerprint VARCHAR(64),
    first_seen_ms        BIGINT,
    rotated_ms           BIGINT,
    previous_until_ms    BIGINT,
    checked_ms           BIGINT        NOT NULL,
    state                VARCHAR(30)   NOT NULL,
    message              VARCHAR(4000),
    alerted              VARCHAR(100)
);

-- certificate_alert: per place a certificate lives (source, slot, position in the chain), the expiry threshold
-- (days) already alerted, so crossing 30 days alerts once and crossing 14 escalates once; -1 expired, -2 unreadable.
CREATE TABLE certificate_alert (
    id           VARCHAR(600)  PRIMARY KEY,
    source       VARCHAR(120)  NOT NULL,
    alerted_days INTEGER       NOT NULL,
    alerted_ms   BIGINT        NOT NULL
);
