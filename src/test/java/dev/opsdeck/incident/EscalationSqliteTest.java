package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class EscalationSqliteTest extends EscalationContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
