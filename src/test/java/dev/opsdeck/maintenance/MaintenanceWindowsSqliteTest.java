package dev.opsdeck.maintenance;

import dev.opsdeck.store.TestDatabases;

class MaintenanceWindowsSqliteTest extends MaintenanceWindowsContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
