package dev.opsdeck.notify;

import dev.opsdeck.store.TestDatabases;

class OutboxSqliteTest extends OutboxContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
