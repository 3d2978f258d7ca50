package dev.opsdeck.backup;

import java.nio.file.Files;
import java.nio.file.Path;

/** Child process of {@link BackupFailureTest}: runs one backup of the given config until it is killed. */
public final class BackupKillNineChild {
    public static void main(String[] args) throws Exception {
        KeepFixture k = new KeepFixture(Path.of(args[0]), Files.readString(Path.of(args[1])));
        System.out.println("started");
        System.out.flush();
        Backup b = k.backups.create("main");
        System.out.println("finished " + b.status());
        System.out.flush();
    }
}
