package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class RecentChangesSqliteTest extends RecentChangesContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
