package dev.opsdeck.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** POSIX permission bits of a file, as the checks need them. */
record Permissions(Set<PosixFilePermission> bits) {
    /** Null when the file system has no POSIX permissions (Windows): nothing can be checked there. */
    static Permissions of(Path path) throws IOException {
        try {
            return new Permissions(Files.getPosixFilePermissions(path));
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    boolean othersRead() {
        return bits.contains(PosixFilePermission.OTHERS_READ);
    }

    boolean othersWrite() {
        return bits.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Any access by others: on a directory even x alone opens files inside whose names are known. */
    boolean othersAny() {
        return othersRead() || othersWrite() || bits.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    /** As chmod writes it: 0755. */
    String octal() {
        int mode = 0;
        for (PosixFilePermission p : bits) mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0, bit 0400
        return String.format("0%03o", mode);
    }
}
