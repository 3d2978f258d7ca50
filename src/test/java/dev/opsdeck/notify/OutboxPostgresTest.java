package dev.opsdeck.notify;

import dev.opsdeck.store.TestDatabases;

class OutboxPostgresTest extends OutboxContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
