package dev.opsdeck.silence;

import dev.opsdeck.store.TestDatabases;

class SilencesPostgresTest extends SilencesContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
