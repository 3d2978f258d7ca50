package dev.opsdeck.maintenance;

import dev.opsdeck.store.TestDatabases;

class MaintenanceWindowsPostgresTest extends MaintenanceWindowsContract {
    @Override
    TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
