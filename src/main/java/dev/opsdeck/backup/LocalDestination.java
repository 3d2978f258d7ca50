package dev.opsdeck.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A directory on this host (a mounted volume, an NFS share). Files arrive under a temporary name and are renamed. */
final class LocalDestination implements Destination {
    private final String name;
    private final Path dir;

    LocalDestination(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    @Override
    public String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    @Override
    public String put(Path file, byte[] manifest) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(file.getFileName().toString());
        if (!file.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            place(target, partial -> Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING));
        }
        place(dir.resolve(file.getFileName() + Manifest.suffix()), partial -> Files.write(partial, manifest));
        return target.toString();
    }

    private void place(Path target, Writer writer) throws IOException {
        Path partial = target.resolveSibling("." + target.getFileName() + Dumper.PARTIAL);
        try {
            writer.write(partial);
            Dumper.sync(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Dumper.syncDirectory(dir);
        } finally {
            Cleanup.deleteQuietly(partial);
        }
    }

    private interface Writer {
        void write(Path partial) throws IOException;
    }

    @Override
    public InputStream open(String fileName) throws IOException {
        return Files.newInputStream(dir.resolve(fileName));
    }

    @Override
    public void delete(String fileName) throws IOException {
        Files.deleteIfExists(dir.resolve(fileName));
        Files.deleteIfExists(dir.resolve(fileName + Manifest.suffix()));
    }

    @Override
    public String location(String fileName) {
        return dir.resolve(fileName).toString();
    }
}
