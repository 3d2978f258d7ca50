package dev.opsdeck.backup;

/** Child process of {@link BackupFailureTest}: looks for pg_dump on the PATH it was started with, prints the refusal. */
public final class PathLookupChild {
    public static void main(String[] args) {
        try {
            System.out.println("found " + new PgTools(null, "backups.main.pg_bin").find("pg_dump"));
        } catch (BackupFailure e) {
            System.out.println(e.describe());
        }
    }
}
