package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck demo --port N} as a real process: the CLI hint it prints works as printed, on that port. */
class DemoHintTest {
    private static final Pattern HINT = Pattern.compile(
            "CLI: export OPSDECK_URL=(\\S+) OPSDECK_TOKEN=\\$\\(cat (\\S+)\\)  then  \\./opsdeck status");

    @TempDir
    Path dir;

    @Test
    void theHintNamesTheUrlOfTheChosenPortAndStatusReachesIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process demo = java(List.of("demo", "--port", Integer.toString(port)))
                .directory(dir.toFile())
                .redirectError(dir.resolve("demo.log").toFile())
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher hint = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("CLI:")) {
                    hint = HINT.matcher(line);
                    assertThat(hint.matches()).as(line).isTrue();
                    break;
                }
            }
            assertThat(hint)
                    .as("the demo printed its CLI hint; see " + dir.resolve("demo.log"))
                    .isNotNull();
            assertThat(hint.group(1)).isEqualTo("http://127.0.0.1:" + port);
            // what the user does next: export both and run status, which must reach this server (not 8080)
            ProcessBuilder status =
                    java(List.of("status")).directory(dir.toFile()).redirectErrorStream(true);
            status.environment().put("OPSDECK_URL", hint.group(1));
            status.environment()
                    .put(
                            "OPSDECK_TOKEN",
                            Files.readString(dir.resolve(hint.group(2))).strip());
            Process p = status.start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(printed).isIn(Main.OK, Main.FAILED); // services up or down, but reached
            assertThat(printed).contains("api").contains("indexer").contains("web");
        } finally {
            demo.destroy();
            if (!demo.waitFor(20, TimeUnit.SECONDS)) demo.destroyForcibly();
        }
    }

    private static ProcessBuilder java(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command);
    }
}
