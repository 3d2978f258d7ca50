package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class SessionsPostgresTest extends SessionsContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
