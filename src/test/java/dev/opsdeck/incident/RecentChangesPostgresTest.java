package dev.opsdeck.incident;

import dev.opsdeck.store.TestDatabases;

class RecentChangesPostgresTest extends RecentChangesContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
