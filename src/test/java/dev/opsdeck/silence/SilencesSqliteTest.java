package dev.opsdeck.silence;

import dev.opsdeck.store.TestDatabases;

class SilencesSqliteTest extends SilencesContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
