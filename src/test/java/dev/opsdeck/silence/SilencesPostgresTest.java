package dev.opsdeck.silence;

import dev.opsdeck.store.TestDatabases;

class SilencesPostgresTest extends SilencesContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
