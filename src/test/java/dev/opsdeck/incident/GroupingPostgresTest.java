package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class GroupingPostgresTest extends GroupingContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
