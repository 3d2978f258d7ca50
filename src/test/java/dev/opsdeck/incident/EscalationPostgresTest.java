package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class EscalationPostgresTest extends EscalationContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
