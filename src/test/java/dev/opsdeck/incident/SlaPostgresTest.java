package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class SlaPostgresTest extends SlaContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
