package dev.opsdeck.backup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which copies in one destination may go. A copy stays when any rule keeps it: it is among the newest
 * {@code keepLast}, or younger than {@code maxAge}; with neither set everything stays. The newest verified
 * copy always stays, whatever the rules say, so retention can never leave a destination without a good backup.
 */
final class Retention {
    private Retention() {}

    /** {@code newestFirst}: the backups with a verified or failed copy in this destination. */
    static List<Backup> expired(
            List<Backup> newestFirst, String destination, Integer keepLast, Duration maxAge, long nowMs) {
        List<Backup> out = new ArrayList<>();
        if (keepLast == null && maxAge == null) return out;
        Backup newestVerified = newestFirst.stream()
                .filter(b -> b.copy(destination) != null
                        && b.copy(destination).status().equals(Backup.VERIFIED))
                .findFirst()
                .orElse(null);
        for (int i = 0; i < newestFirst.size(); i++) {
            Backup b = newestFirst.get(i);
            boolean byCount = keepLast != null && i < keepLast;
            boolean byAge = maxAge != null && nowMs - b.startedMs() < maxAge.toMillis();
            if (!byCount && !byAge && b != newestVerified) out.add(b);
        }
        return out;
    }
}
