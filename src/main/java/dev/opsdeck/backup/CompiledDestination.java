package dev.opsdeck.backup;

import dev.opsdeck.config.DestinationDef;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A destination whose settings its type has read and checked. Each backup operation opens its own {@link
 * Destination} and closes it when done, so a client a destination holds (S3's) lives as long as one operation and a
 * reload never pulls one from under a running backup.
 */
public final class CompiledDestination {
    private final DestinationDef def;
    private final String where;
    private final Path directory;
    private final Supplier<Destination> opener;

    /** {@code directory}: the directory on this host the files go to; null for a remote store. */
    CompiledDestination(DestinationDef def, String where, Path directory, Supplier<Destination> opener) {
        this.def = def;
        this.where = where;
        this.directory = directory;
        this.opener = opener;
    }

    /** The common settings: name, type and retention. */
    public DestinationDef def() {
        return def;
    }

    public String name() {
        return def.name();
    }

    /** Where the files go, as people read it (API, CLI): a directory, or the bucket and prefix as an s3:// URL. */
    public String where() {
        return where;
    }

    /** The local directory the files go to (backups spool there, partial files are cleaned there); null if remote. */
    Path directory() {
        return directory;
    }

    /** A destination for one operation; the caller closes it ({@link Backups#closeAll}). */
    Destination open() {
        return opener.get();
    }
}
