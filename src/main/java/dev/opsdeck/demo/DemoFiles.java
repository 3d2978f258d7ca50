package dev.opsdeck.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * The files the demo's credential inventory reads: an API token (made once, mode 0600, kept across restarts so its
 * age grows as a real secret's does) and a site certificate made at every start to expire in
 * {@value #CERTIFICATE_DAYS} days, inside the default 30-day warning, so the inventory always has one to act on.
 *
 * @param grafanaRotated the date the demo's manual credential says it was last rotated
 */
public record DemoFiles(Path token, Path certificate, LocalDate grafanaRotated) {
    static final int CERTIFICATE_DAYS = 20;

    static DemoFiles write(Path dir) throws IOException {
        Path token = dir.resolve("secrets").resolve("api-token");
        Files.createDirectories(token.getParent());
        if (!Files.exists(token)) {
            byte[] value = new byte[24];
            new SecureRandom().nextBytes(value);
            Files.writeString(
                    Files.createFile(
                            token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    Base64.getEncoder().encodeToString(value) + "\n");
        }
        Path pem = dir.resolve("certs").resolve("demo-site.pem");
        Files.createDirectories(pem.getParent());
        Instant now = Instant.now();
        try {
            KeyPair keys = DemoCertificate.keys();
            Files.writeString(
                    pem,
                    DemoCertificate.pem(DemoCertificate.make(
                            "demo.opsdeck.test",
                            keys,
                            "demo.opsdeck.test",
                            keys,
                            now.minus(Duration.ofDays(70)),
                            now.plus(Duration.ofDays(CERTIFICATE_DAYS)).plus(Duration.ofHours(1)),
                            false,
                            List.of("demo.opsdeck.test", "api.demo.opsdeck.test"))));
        } catch (Exception e) {
            throw new IOException("cannot make the demo's certificate: " + e.getMessage(), e);
        }
        return new DemoFiles(token, pem, LocalDate.now(ZoneOffset.UTC).minusDays(45));
    }
}
