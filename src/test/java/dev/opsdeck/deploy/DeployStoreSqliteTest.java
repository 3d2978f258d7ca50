package dev.opsdeck.deploy;

import dev.opsdeck.store.TestDatabases;

class DeployStoreSqliteTest extends DeployStoreContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
