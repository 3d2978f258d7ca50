package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class GroupingPostgresTest extends GroupingContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
