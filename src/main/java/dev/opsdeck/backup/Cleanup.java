package dev.opsdeck.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletions that must not hide the error that caused them (cleanup after a failure). */
final class Cleanup {
    private Cleanup() {}

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort; the next start removes leftovers
        }
    }

    static void deleteTreeQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(Cleanup::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
