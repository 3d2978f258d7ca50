package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class BootstrapPostgresTest extends BootstrapContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
