package dev.opsdeck.notify;

import dev.opsdeck.store.TestDatabases;

class OutboxSqliteTest extends OutboxContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
