package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class SessionsPostgresTest extends SessionsContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
