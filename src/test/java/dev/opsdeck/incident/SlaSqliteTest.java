package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class SlaSqliteTest extends SlaContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
