package dev.opsdeck.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: HMAC-SHA256 with the channel's secret over {@code timestamp + "." + body}, sent as
 * {@code X-Opsdeck-Signature: sha256=<hex>} beside {@code X-Opsdeck-Timestamp} (Unix seconds). Signing the
 * timestamp lets a receiver refuse replays of an old request by its age.
 */
public final class Signature {
    public static final String HEADER = "X-Opsdeck-Signature", TIMESTAMP = "X-Opsdeck-Timestamp";

    private Signature() {}

    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
