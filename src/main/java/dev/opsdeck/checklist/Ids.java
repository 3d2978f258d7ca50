package dev.opsdeck.checklist;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids for runs, attestations and waivers: unguessable, and unique across nodes sharing a store. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String next() {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
