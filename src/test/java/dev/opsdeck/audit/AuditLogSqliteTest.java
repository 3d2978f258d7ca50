package dev.opsdeck.audit;

import dev.opsdeck.store.TestDatabases;

class AuditLogSqliteTest extends AuditLogContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
