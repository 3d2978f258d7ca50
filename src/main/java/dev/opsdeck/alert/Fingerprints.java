package dev.opsdeck.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fingerprints of Opsdeck's own alerts: the first 16 hex digits of SHA-256 over {@code kind + "\n" + target}.
 * They depend on names only (never on thresholds, severity or text), so editing a rule keeps its alert, and
 * they are the same on every node and after every restart: the incident manager deduplicates on them.
 */
final class Fingerprints {
    private Fingerprints() {}

    /** A check's own down/degraded alert. */
    static String ofCheck(String checkId) {
        return hash("check", checkId);
    }

    /** A check's flapping alert. */
    static String ofFlapping(String checkId) {
        return hash("flapping", checkId);
    }

    /** An explicit rule on a check ({@code service/check}) or a service. */
    static String ofRule(String ruleName, String target) {
        return hash("rule:" + ruleName, target);
    }

    private static String hash(String kind, String target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((kind + "\n" + target).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
