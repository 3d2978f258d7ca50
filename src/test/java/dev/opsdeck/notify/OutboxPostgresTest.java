package dev.opsdeck.notify;

import dev.opsdeck.store.TestDatabases;

class OutboxPostgresTest extends OutboxContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
