package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class LockoutPostgresTest extends LockoutContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
