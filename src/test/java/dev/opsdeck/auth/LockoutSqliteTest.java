package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class LockoutSqliteTest extends LockoutContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
