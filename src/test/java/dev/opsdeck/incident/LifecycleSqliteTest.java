package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class LifecycleSqliteTest extends LifecycleContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
