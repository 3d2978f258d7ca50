package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class LifecyclePostgresTest extends LifecycleContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
