package dev.opsdeck.checklist;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the admin has replaced the password Opsdeck generated on its first start. */
public enum BootstrapState {
    CHANGED,
    PENDING,
    /** The store could not be read, or (judged from files) Opsdeck has never started with this data_dir. */
    UNKNOWN,
    /** The store answered and holds no user: no admin was ever created in it. */
    NEW;

    /** The file the first start writes the generated admin password to; deleted once it is changed. */
    public static final String PASSWORD_FILE = "initial-admin-password";

    /**
     * Judged offline, from files only: the password file present means PENDING; absent from an existing
     * data_dir means CHANGED; no data_dir means Opsdeck never started here, so UNKNOWN. A data_dir made
     * by hand before the first start reads as CHANGED: the server's own check at start asks the store.
     */
    public static BootstrapState fromDataDir(Path dataDir) {
        if (Files.exists(dataDir.resolve(PASSWORD_FILE))) return PENDING;
        return Files.isDirectory(dataDir) ? CHANGED : UNKNOWN;
    }
}
