package dev.opsdeck.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private directory of JSON files that must survive a kill -9 or a power cut while the store is away: the
 * paging journal and spool keep what they owe the store here. A file is written under a temporary name,
 * synced, renamed into place and the directory synced, so a file that is there is whole.
 */
public final class SpoolFiles {
    private SpoolFiles() {}

    /** Makes the directory (owner only) and returns its kept files in name order; drops writes a kill cut short. */
    public static List<Path> open(Path dir) throws IOException {
        Store.createPrivateDirectories(dir);
        List<Path> kept = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // its writer never heard it was kept
                } else if (name.endsWith(".json")) {
                    kept.add(f);
                }
            }
        }
        return kept;
    }

    /** Writes (or replaces) the file whole; on disk when this returns. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) ch.write(buffer);
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename is still atomic there
        }
    }
}
