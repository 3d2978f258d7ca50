package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class BootstrapSqliteTest extends BootstrapContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
