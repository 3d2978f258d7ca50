package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class SlaPostgresTest extends SlaContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
