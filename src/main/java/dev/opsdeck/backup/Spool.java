package dev.opsdeck.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Leftovers of interrupted work: hidden {@code .*.partial} files and folders in a backup directory. */
final class Spool {
    private Spool() {}

    static int removePartials(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return 0;
        int n = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && (name.contains(Dumper.PARTIAL) || name.endsWith(".unpacked"))) {
                    Cleanup.deleteTreeQuietly(p);
                    Cleanup.deleteQuietly(p);
                    n++;
                }
            }
        } catch (IOException ignored) {
            // a missing or unreadable directory has nothing we could clean
        }
        return n;
    }
}
