package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class SessionsSqliteTest extends SessionsContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
