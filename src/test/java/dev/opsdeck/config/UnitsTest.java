package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void aDurationWrittenAgainIsTheSameObject() {
        // thousands of checks written with "60s" keep one Duration between them
        Duration first = Units.duration("61s");
        assertThat(first).isEqualTo(Duration.ofSeconds(61));
        assertThat(Units.duration("61s")).isSameAs(first);
        assertThat(Units.duration("1m1s")).isEqualTo(first);
        // what is not a duration stays not one, however often it is asked
        assertThat(Units.duration("61 parsecs")).isNull();
        assertThat(Units.duration("61 parsecs")).isNull();
    }

    @Test
    void durations() {
        assertThat(Units.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Units.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.duration("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Units.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Units.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Units.duration(" 10S ")).isEqualTo(Duration.ofSeconds(10));
        for (String bad : new String[] {"10 seconds", "10", "s", "", "-5s", "5mm", "1h 30m", "5x", "ms", null}) {
            assertThat(Units.duration(bad)).as(bad).isNull();
        }
    }

    @Test
    void longTextIsReadInLinearTime() {
        String digits = "9".repeat(2_000_000);
        long start = System.nanoTime();
        assertThat(Units.duration(digits)).isNull();
        assertThat(Units.duration(digits + "s")).isNull(); // too long to be a duration
        assertThat(Units.duration("1s" + "x".repeat(2_000_000))).isNull();
        assertThat(Units.size(digits + "x")).isNull();
        assertThat(Units.percent(digits + "x")).isNull();
        // quadratic scanning took minutes here; linear takes milliseconds: 20 s is a generous bound
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(Units.duration("9999999999999999999d1d"))
                .as("no overflow into a negative duration")
                .isNull();
    }

    @Test
    void sizesAndPercentages() {
        assertThat(Units.size("200MB")).isEqualTo(200_000_000L);
        assertThat(Units.size("200 mb")).isEqualTo(200_000_000L);
        assertThat(Units.size("1GiB")).isEqualTo(1L << 30);
        assertThat(Units.size("512KB")).isEqualTo(512_000L);
        assertThat(Units.size("64kib")).isEqualTo(65_536L);
        assertThat(Units.size("100")).isEqualTo(100L);
        assertThat(Units.size("1.5KB")).isEqualTo(1_500L);
        assertThat(Units.size("MB")).isNull();
        assertThat(Units.size("12 parsecs")).isNull();
        assertThat(Units.percent("85%")).isEqualTo(85.0);
        assertThat(Units.percent("99.9 %")).isEqualTo(99.9);
        assertThat(Units.percent("85")).isNull();
        assertThat(Units.percent("%")).isNull();
    }

    @Test
    void decimalFractionsAreExactNotOneBelow() {
        // binary floating point reads 4.35 as 4.3499999...: a value written exactly must not come out one unit short
        assertThat(Units.size("4.35MB")).isEqualTo(4_350_000L);
        assertThat(Units.size("1.15MB")).isEqualTo(1_150_000L);
        assertThat(Units.size("0.5KiB")).isEqualTo(512L);
        assertThat(Units.size("1.7KiB")).as("a fraction of a byte is dropped").isEqualTo(1740L);
        assertThat(Units.duration("0.009h")).isEqualTo(Duration.ofMillis(32_400));
        assertThat(Units.duration("4.35s")).isEqualTo(Duration.ofMillis(4_350));
        assertThat(Units.duration("1.1h")).isEqualTo(Duration.ofMinutes(66));
        assertThat(Units.size("99999999999999999999TB"))
                .as("saturates, never wraps")
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void formatting() {
        assertThat(Units.format(Duration.ofMillis(950))).isEqualTo("950ms");
        assertThat(Units.format(Duration.ofMillis(2500))).isEqualTo("2.5s");
        assertThat(Units.format(Duration.ofMinutes(3))).isEqualTo("3m");
        assertThat(Units.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Units.format(Duration.ofDays(-29))).isEqualTo("-29d");
        assertThat(Units.format(Duration.ofDays(14))).isEqualTo("14d");
        assertThat(Units.formatBytes(12_300_000)).isEqualTo("12.3MB");
        assertThat(Units.formatBytes(999)).isEqualTo("999B");
    }
}
