package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class BootstrapSqliteTest extends BootstrapContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
