package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class GroupingSqliteTest extends GroupingContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
