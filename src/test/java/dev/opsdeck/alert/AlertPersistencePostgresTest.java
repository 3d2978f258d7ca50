package dev.opsdeck.alert;

import dev.opsdeck.store.TestDatabases;

class AlertPersistencePostgresTest extends AlertPersistenceContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
