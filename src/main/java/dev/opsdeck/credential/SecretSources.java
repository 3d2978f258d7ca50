package dev.opsdeck.credential;

import dev.opsdeck.config.CredentialDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads a credential's current value from where it lives; the value goes straight into a fingerprint. */
final class SecretSources {
    /** Secret files are small: a key, a password, a PEM. A larger file is a wrong path, not a secret. */
    static final long MAX_BYTES = 1 << 20;

    /** Why a source gave no value: {@code state} is {@code source_missing} or {@code source_unreadable}. */
    static final class Unavailable extends Exception {
        final String state;

        Unavailable(String state, String message) {
            super(message, null, false, false);
            this.state = state;
        }
    }

    private final Function<String, String> env;

    SecretSources(Function<String, String> env) {
        this.env = env;
    }

    byte[] read(CredentialDef.Source source) throws Unavailable {
        if (source.kind().equals("env")) {
            String v = env.apply(source.ref());
            if (v == null) {
                throw new Unavailable(
                        Credential.SOURCE_MISSING, "environment variable " + source.ref() + " is not set for Opsdeck");
            }
            return trimmed(v.getBytes(StandardCharsets.UTF_8));
        }
        Path file = Path.of(source.ref());
        try {
            if (Files.isDirectory(file)) {
                throw new Unavailable(Credential.SOURCE_UNREADABLE, file + " is a directory, not a secret file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new Unavailable(Credential.SOURCE_UNREADABLE, file + " is larger than 1 MiB: not a secret file");
            }
            return trimmed(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new Unavailable(Credential.SOURCE_MISSING, "file " + file + " does not exist (any more)");
        } catch (AccessDeniedException e) {
            throw new Unavailable(
                    Credential.SOURCE_UNREADABLE, "cannot read " + file + ": permission denied for Opsdeck's user");
        } catch (IOException e) {
            throw new Unavailable(Credential.SOURCE_UNREADABLE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Without surrounding blanks and line ends, as ${file:} reads: an editor adding a final newline is no rotation. */
    static byte[] trimmed(byte[] b) {
        int from = 0;
        int to = b.length;
        while (from < to && blank(b[from])) from++;
        while (to > from && blank(b[to - 1])) to--;
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
