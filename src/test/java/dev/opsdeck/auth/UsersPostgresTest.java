package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class UsersPostgresTest extends UsersContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
