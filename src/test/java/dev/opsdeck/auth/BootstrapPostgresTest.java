package dev.opsdeck.auth;

import dev.opsdeck.store.TestDatabases;

class BootstrapPostgresTest extends BootstrapContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
