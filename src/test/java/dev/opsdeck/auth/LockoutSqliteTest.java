package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class LockoutSqliteTest extends LockoutContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
