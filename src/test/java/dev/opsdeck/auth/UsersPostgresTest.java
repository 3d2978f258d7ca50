package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class UsersPostgresTest extends UsersContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
