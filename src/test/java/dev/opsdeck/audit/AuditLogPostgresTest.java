package dev.opsdeck.audit;

import dev.opsdeck.store.TestDatabases;

class AuditLogPostgresTest extends AuditLogContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
