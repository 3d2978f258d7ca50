package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class LifecyclePostgresTest extends LifecycleContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
