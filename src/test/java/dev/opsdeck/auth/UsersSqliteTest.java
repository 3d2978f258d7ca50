package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class UsersSqliteTest extends UsersContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
