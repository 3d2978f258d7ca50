package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's JVM options (bin/jvm-options.sh), and that the JVM starts with them. */
class LauncherOptionsTest {
    private static List<String> options(int major, String operator) throws Exception {
        return bash("opsdeck_jvm_options \"$1\" \"$2\"", String.valueOf(major), operator);
    }

    /** The options for a configuration of {@code checks} checks on a machine of {@code ramMb}. */
    private static List<String> options(int major, String operator, int checks, int ramMb) throws Exception {
        return bash(
                "opsdeck_jvm_options \"$1\" \"$2\" \"$3\" \"$4\"",
                String.valueOf(major),
                operator,
                String.valueOf(checks),
                String.valueOf(ramMb));
    }

    /** Runs {@code script} with bin/jvm-options.sh sourced and {@code args} as $1...; returns its output lines. */
    private static List<String> bash(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", ". bin/jvm-options.sh && " + script, "_"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    /** Runs {@code java <launcher options> <operator options> -version}, as the launcher would; returns its output. */
    private static String start(List<String> launcher, List<String> operator) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launcher);
        command.addAll(operator);
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theDefaultsAreSerialWithACappedHeapAndTheJvmTakesThem() throws Exception {
        int major = Runtime.version().feature();
        List<String> options = options(major, "");
        assertThat(options).contains("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
        assertThat(options.contains("-XX:+UseCompactObjectHeaders")).isEqualTo(major >= 25);
        assertThat(options(21, "")).doesNotContain("-XX:+UseCompactObjectHeaders");
        start(options, List.of());
    }

    @Test
    void versionBoundOptionsAreOnlyGivenToTheJdksThatKnowThem() throws Exception {
        // a JVM refuses to start on an option it does not know: each is named only for the JDKs that have it
        assertThat(options(21, ""))
                .doesNotContain("-XX:TrimNativeHeapInterval=10000", "-XX:-AOTReplayTraining")
                .contains("-XX:Tier4InvocationThreshold=20000");
        assertThat(options(22, ""))
                .contains("-XX:TrimNativeHeapInterval=10000")
                .doesNotContain("-XX:-AOTReplayTraining");
        assertThat(options(25, ""))
                .contains(
                        "-XX:TrimNativeHeapInterval=10000", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
        assertThat(options(26, "")).doesNotContain("-XX:-AOTReplayTraining", "-XX:+UnlockDiagnosticVMOptions");
    }

    @Test
    void theJvmRunsWithTheOptionsInEffect() throws Exception {
        // -XX:+PrintFlagsFinal shows what the JVM made of them: a typo'd value or an option it silently
        // ignored would show here, not as a failed start
        int major = Runtime.version().feature();
        List<String> options = new ArrayList<>(options(major, ""));
        options.add("-XX:+PrintFlagsFinal");
        String flags = start(options, List.of());
        assertThat(flags)
                .containsPattern("Tier4InvocationThreshold\\s+= 20000\\s")
                .containsPattern("Tier4BackEdgeThreshold\\s+= 160000\\s");
        if (major >= 22) assertThat(flags).containsPattern("TrimNativeHeapInterval\\s+= 10000\\s");
        if (major == 25) assertThat(flags).containsPattern("AOTReplayTraining\\s+= false\\s");
    }

    @Test
    void aCollectorNamedByTheOperatorReplacesSerialInsteadOfClashingWithIt() throws Exception {
        int major = Runtime.version().feature();
        List<String> options = options(major, "-Xmx1g -XX:+UseG1GC");
        assertThat(options).doesNotContain("-XX:+UseSerialGC").contains("-Xmx256m");
        start(options, List.of("-Xmx1g", "-XX:+UseG1GC"));
        // with Serial left in, the same start fails: what the operator got before
        assertThat(options(major, "-XX:+UseStringDeduplication"))
                .as("not a collector")
                .contains("-XX:+UseSerialGC");
        Process clash = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC",
                        "-XX:+UseG1GC",
                        "-version")
                .redirectErrorStream(true)
                .start();
        assertThat(new String(clash.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Multiple garbage collectors selected");
        assertThat(clash.waitFor()).isNotZero();
    }

    @Test
    void theHeapCapGrowsWithTheChecksUpToHalfTheMemory() throws Exception {
        int major = Runtime.version().feature();
        // small configurations keep the cap they always had
        assertThat(options(major, "", 0, 24_576)).contains("-Xmx256m");
        assertThat(options(major, "", 10_000, 24_576)).contains("-Xmx256m");
        // 64 MB + 8 KB per check: 100,000 checks get 845 MB, and the JVM takes it
        List<String> large = options(major, "", 100_000, 24_576);
        assertThat(large).contains("-Xmx845m").doesNotContain("-Xmx256m");
        List<String> shown = new ArrayList<>(large);
        shown.add("-XX:+PrintFlagsFinal");
        // the JVM rounds the cap up to its heap alignment (2 MB here: 846 MB)
        java.util.regex.Matcher max =
                java.util.regex.Pattern.compile("MaxHeapSize\\s+= (\\d+)\\s").matcher(start(shown, List.of()));
        assertThat(max.find()).isTrue();
        assertThat(Long.parseLong(max.group(1))).isBetween(845L << 20, 848L << 20);
        // on a small machine (or container) the cap stops at half its memory, but never below the old 256 MB
        assertThat(options(major, "", 100_000, 700)).contains("-Xmx350m");
        assertThat(options(major, "", 100_000, 400)).contains("-Xmx256m");
        // memory unknown: no limit from it
        assertThat(options(major, "", 100_000, 0)).contains("-Xmx845m");
    }

    @Test
    void anXmxFromTheOperatorWinsOverTheScaledCap() throws Exception {
        int major = Runtime.version().feature();
        List<String> options = new ArrayList<>(options(major, "-Xmx1g", 100_000, 24_576));
        options.add("-XX:+PrintFlagsFinal");
        // the launcher puts OPSDECK_JAVA_OPTS after its own options, as here
        assertThat(start(options, List.of("-Xmx1g"))).containsPattern("MaxHeapSize\\s+= " + (1L << 30) + "\\s");
    }

    @Test
    void theChecksAreCountedFromTheConfigTheCommandNames(@TempDir Path dir) throws Exception {
        StringBuilder yaml = new StringBuilder("services:\n");
        for (int i = 0; i < 3; i++) {
            yaml.append("  svc").append(i).append(":\n    checks:\n");
            yaml.append("      a: { type: http, url: \"http://127.0.0.1:1/\" }\n");
            yaml.append("      b:\n        type: tcp\n        host: 127.0.0.1\n        port: 1\n");
        }
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        Files.writeString(dir.resolve("more.yml"), "services:\n  x:\n    checks:\n      c: { type: tcp }\n");
        Files.writeString(dir.resolve("notes.txt"), "type: not read\n");
        String count = "opsdeck_config_checks \"$@\"";
        assertThat(bash(count, "serve", "--config", file.toString())).containsExactly("6");
        assertThat(bash(count, "serve", "--config=" + file)).containsExactly("6");
        assertThat(bash(count, "serve", "-c", file.toString())).containsExactly("6");
        assertThat(bash(count, "config", "check", "-c" + file)).containsExactly("6");
        // a directory: its .yaml and .yml files, as the server reads it
        assertThat(bash(count, "serve", "--config", dir.toString())).containsExactly("7");
        // no config, or one that is not there: nothing to scale by
        assertThat(bash(count, "status")).containsExactly("0");
        assertThat(bash(count, "serve", "--config", dir.resolve("missing.yaml").toString()))
                .containsExactly("0");
        // what the launcher does with them: count, then size
        assertThat(bash(
                        "opsdeck_jvm_options 25 \"\" \"$(opsdeck_config_checks --config \"$1\")\" 24576",
                        big(dir).toString()))
                .contains("-Xmx845m");
    }

    @Test
    void theMachinesMemoryIsRead() throws Exception {
        long totalMb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .findFirst()
                        .orElseThrow()
                / 1024;
        long ram = Long.parseLong(bash("opsdeck_ram_mb").getFirst());
        assertThat(ram).isPositive().isLessThanOrEqualTo(totalMb);
    }

    /** A configuration of 100,000 http checks written as the benchmark writes them, one line per check. */
    private static Path big(Path dir) throws Exception {
        StringBuilder y = new StringBuilder("services:\n");
        for (int i = 0; i < 100_000; i++) {
            y.append("  svc")
                    .append(i)
                    .append(":\n    checks:\n      health: { type: http, url: \"http://127.0.0.1:8080/health?s=")
                    .append(i)
                    .append("\", interval: 60s }\n");
        }
        return Files.writeString(dir.resolve("big.yaml"), y);
    }
}
