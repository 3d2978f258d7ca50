-- A service's successful versions, newest first (DeployStore.succeeded): looked up for every deploy started or
-- recorded (its previous version) and for the rollback choices. Without this index the query sorted every
-- succeeded deploy of the service: with 10,000 of them, over 100 ms per CI record on SQLite. The expression
-- is the query's ORDER BY, word for word, so both SQLite and PostgreSQL read the newest entries straight off it.
CREATE INDEX deploy_succeeded ON deploy (service, environment, (COALESCE(ended_ms, requested_ms)), id) WHERE state = 'succeeded';
