package dev.opsdeck.deploy;

import dev.opsdeck.store.TestDatabases;

class DeployStorePostgresTest extends DeployStoreContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
