package dev.opsdeck.maintenance;

import dev.opsdeck.store.TestDatabases;

class MaintenanceWindowsPostgresTest extends MaintenanceWindowsContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
