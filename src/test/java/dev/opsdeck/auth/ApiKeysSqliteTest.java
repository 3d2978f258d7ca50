package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class ApiKeysSqliteTest extends ApiKeysContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
