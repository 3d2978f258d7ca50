package dev.opsdeck.backup;

import java.nio.file.Path;

/**
 * Where a drill restores to, and the promise to remove it: {@link #close()} drops the temporary database or stops
 * and deletes the private instance, and throws a {@link BackupFailure} when something is left behind.
 */
interface ScratchDatabase extends AutoCloseable {
    /** The database to restore into (it does not exist yet). */
    PgTarget target();

    /** What to remove if this process dies first: stored with the run, read by {@link #remove(String, String)}. */
    String describe();

    /** The restore found the database absent and created it: from now on it is this drill's to drop. */
    default void claim() {}

    @Override
    void close();

    /**
     * Removes what {@code describe} names, left by a run a killed process did not finish; {@code serverUrl} is the
     * drill's configured scratch server (null when there is none). Returns what was done, for the run's record.
     */
    static String remove(String describe, String serverUrl) {
        if (describe == null) return "no scratch had been made";
        if (describe.startsWith(PrivateInstance.PREFIX)) {
            return PrivateInstance.remove(Path.of(describe.substring(PrivateInstance.PREFIX.length())));
        }
        if (describe.startsWith(ScratchServer.PREFIX) && serverUrl != null) {
            return ScratchServer.remove(serverUrl, describe.substring(describe.lastIndexOf('/') + 1));
        }
        return "scratch " + describe + " left: its drill no longer names that server";
    }
}
