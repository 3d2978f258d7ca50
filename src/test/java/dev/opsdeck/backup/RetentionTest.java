package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which copies retention lets go: count, age, both, and the newest verified copy that always stays. */
class RetentionTest {
    static final long DAY = 86_400_000L, NOW = 100 * DAY;

    /** Backups started 0, 1, 2, ... days ago, newest first; {@code failed} marks copies that failed verification. */
    private static List<Backup> backups(int n, int... failed) {
        List<Backup> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int age = i;
            boolean bad = Arrays.stream(failed).anyMatch(f -> f == age);
            out.add(new Backup(
                    i,
                    "main",
                    "f" + i,
                    bad ? Backup.FAILED : Backup.VERIFIED,
                    NOW - i * DAY,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(new Backup.Copy(
                            "disk", "/b/f" + i, bad ? Backup.FAILED : Backup.VERIFIED, 1, null, null, null))));
        }
        return out;
    }

    private static List<Long> ids(List<Backup> l) {
        return l.stream().map(Backup::id).toList();
    }

    @Test
    void noRuleKeepsEverything() {
        assertThat(Retention.expired(backups(5), "disk", null, null, NOW)).isEmpty();
    }

    @Test
    void keepLastCountsTheNewest() {
        assertThat(ids(Retention.expired(backups(5), "disk", 2, null, NOW))).containsExactly(2L, 3L, 4L);
    }

    @Test
    void maxAgeKeepsTheYoungerOnes() {
        assertThat(ids(Retention.expired(backups(5), "disk", null, Duration.ofDays(3), NOW)))
                .containsExactly(3L, 4L);
    }

    @Test
    void withBothACopyStaysWhenEitherRuleKeepsIt() {
        assertThat(ids(Retention.expired(backups(6), "disk", 4, Duration.ofDays(2), NOW)))
                .containsExactly(4L, 5L);
        assertThat(ids(Retention.expired(backups(6), "disk", 1, Duration.ofDays(3), NOW)))
                .containsExactly(3L, 4L, 5L);
    }

    @Test
    void theNewestVerifiedCopyStaysEvenWhenEveryRuleWouldDeleteIt() {
        // the two newest failed verification; every copy is older than max_age
        List<Backup> l = backups(4, 0, 1);
        assertThat(ids(Retention.expired(l, "disk", null, Duration.ofMillis(1), NOW + DAY)))
                .containsExactly(0L, 1L, 3L);
        assertThat(ids(Retention.expired(l, "disk", 1, null, NOW))).containsExactly(1L, 3L);
    }
}
