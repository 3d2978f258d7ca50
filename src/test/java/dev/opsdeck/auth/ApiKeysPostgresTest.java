package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class ApiKeysPostgresTest extends ApiKeysContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
