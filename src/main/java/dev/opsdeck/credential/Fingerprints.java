package dev.opsdeck.credential;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of secrets: HMAC-SHA256 under a key of this installation, kept in {@code data_dir/credential.key}
 * (owner read and write only). Keyed, because a plain hash of a short secret (a password, a 4-word passphrase) can be
 * guessed offline from a copy of the database; without the key file a fingerprint says nothing about the secret.
 * A fingerprint only ever tells "same" or "changed": it is never shown or logged.
 */
public final class Fingerprints {
    static final String FILE = "credential.key";
    private static final int KEY_BYTES = 32;
    private final SecretKeySpec key;

    private Fingerprints(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The installation's key from {@code dataDir}, made (0600) the first time. */
    public static Fingerprints in(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, FILE, ".tmp", ownerOnly());
            try {
                Files.write(tmp, fresh, StandardOpenOption.WRITE);
                // a link, not a move: of two processes starting at once, exactly one key wins and both read it
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // the other one won
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != KEY_BYTES) {
            throw new IOException(file + " is " + key.length + " bytes, expected " + KEY_BYTES
                    + " (delete it to make a new key; every credential then counts as rotated once)");
        }
        return new Fingerprints(key);
    }

    /** Hex HMAC-SHA256 of {@code secret}. */
    String of(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        };
    }
}
