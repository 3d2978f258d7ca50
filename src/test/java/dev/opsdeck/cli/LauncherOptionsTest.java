package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's JVM options (bin/jvm-options.sh), and that the JVM starts with them. */
class LauncherOptionsTest {
    private static List<String> options(int major, String operator) throws Exception {
        Process p = new ProcessBuilder(
                        "bash",
                        "-c",
                        ". bin/jvm-options.sh && opsdeck_jvm_options \"$1\" \"$2\"",
                        "_",
                        String.valueOf(major),
                        operator)
                .redirectErrorStream(true)
                .start();
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
}
