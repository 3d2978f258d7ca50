package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class ApiKeysPostgresTest extends ApiKeysContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
