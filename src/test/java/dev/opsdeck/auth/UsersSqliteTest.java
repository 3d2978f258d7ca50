package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class UsersSqliteTest extends UsersContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
