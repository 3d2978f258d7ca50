package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class GroupingSqliteTest extends GroupingContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
