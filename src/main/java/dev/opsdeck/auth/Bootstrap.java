package dev.opsdeck.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start: with no user in the store, creates {@code admin} with a random password that must be changed
 * at first sign-in, and leaves the password in {@code data_dir/initial-admin-password} (mode 0600) for the
 * operator, never in the log. A store given an admin service-account key before its first start (the headless
 * way, {@code opsdeck apikey bootstrap}) needs no such user: whoever holds that key makes the users.
 */
public final class Bootstrap {
    public static final String ADMIN = "admin";
    public static final String FILE_NAME = "initial-admin-password";
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private Bootstrap() {}

    /** Creates the first admin when there is no user; returns the password file then, else empty. */
    public static Optional<Path> ensureAdmin(Users users, Path dataDir) {
        if (users.any() || users.administeredByServiceAccount()) return Optional.empty();
        String password = randomPassword(Math.max(24, users.minPasswordLength()));
        Path file = dataDir.resolve(FILE_NAME);
        // the file first: an admin whose password was never written down would lock everyone out
        writePrivately(file, password + "\n");
        try {
            users.create(ADMIN, Role.ADMIN, password, true);
        } catch (IllegalArgumentException e) {
            // another node sharing the store was first; its file holds the password, ours holds nothing valid
            forgetInitialPassword(dataDir);
            if (users.any()) return Optional.empty();
            throw e;
        } catch (RuntimeException e) {
            forgetInitialPassword(dataDir);
            throw e;
        }
        LOG.warn("event=bootstrap_admin_created user={} file={} note=\"sign in and change the password\"", ADMIN, file);
        return Optional.of(file);
    }

    /** Deletes the password file; the gate calls this once the admin has changed the bootstrap password. */
    public static void forgetInitialPassword(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("event=bootstrap_password_file_not_deleted file={} error=\"{}\"", file, e.getMessage());
        }
    }

    static String randomPassword(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        String p = b.toString();
        // vanishingly rare, but a random string could contain "admin" and fail the policy
        return Passwords.policyProblem(p, ADMIN, length) == null ? p : randomPassword(length);
    }

    /** Creates the file with mode 0600 from the start (no moment where others could read it), replacing a stale one. */
    private static void writePrivately(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            try (Writer w = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                w.write(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
