package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class SessionsSqliteTest extends SessionsContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
