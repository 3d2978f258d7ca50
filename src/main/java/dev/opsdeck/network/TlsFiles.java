package dev.opsdeck.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File reading with the one-line errors {@link Tls} promises. */
final class TlsFiles {
    private TlsFiles() {}

    static byte[] bytes(String key, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(key + ": " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TlsException(
                    key + ": " + file + ": permission denied (Opsdeck runs as " + System.getProperty("user.name") + ")",
                    e);
        } catch (IOException e) {
            throw new TlsException(key + ": " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static String read(String key, Path file) {
        return new String(bytes(key, file), StandardCharsets.US_ASCII);
    }
}
