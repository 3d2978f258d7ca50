-- Nodes sharing one store. Each node writes its own row at start and refreshes heartbeat_ms every beat; a node
-- whose heartbeat is older than the dead-after bound is not live. Times are the database's clock, so the nodes'
-- own clocks may drift without making a live node look dead.
CREATE TABLE cluster_node (
    node_id       VARCHAR(100)  PRIMARY KEY,
    host          VARCHAR(255)  NOT NULL,
    data_dir      VARCHAR(1000) NOT NULL,
    pid           BIGINT        NOT NULL,
    url           VARCHAR(500),
    version       VARCHAR(100)  NOT NULL,
    config_hash   VARCHAR(64)   NOT NULL,
    owned_checks  INTEGER       NOT NULL,
    started_ms    BIGINT        NOT NULL,
    heartbeat_ms  BIGINT        NOT NULL,
    stopped_ms    BIGINT
);

-- Leases on work that must happen once. token grows by one each time the lease changes hands (or lapses and is
-- taken again), so a write checked against (holder, token) in its own transaction is refused to a node that
-- paused past its lease: the fencing token.
CREATE TABLE cluster_lease (
    name        VARCHAR(100) PRIMARY KEY,
    holder      VARCHAR(100) NOT NULL,
    token       BIGINT       NOT NULL,
    acquired_ms BIGINT       NOT NULL,
    expires_ms  BIGINT       NOT NULL
);
