package dev.opsdeck.alert;

import dev.opsdeck.store.TestDatabases;

class AlertPersistenceSqliteTest extends AlertPersistenceContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
