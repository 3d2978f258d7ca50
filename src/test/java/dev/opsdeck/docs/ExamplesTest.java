package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.opsdeck.backup.DestinationCompiler;
import dev.opsdeck.backup.DestinationTypes;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example under {@code examples/} passes {@code opsdeck config check}, documents the environment
 * variables it needs, and (for StellarEscrow) turns the seed's thresholds table into the verdicts its
 * README promises, value by value at the boundaries.
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("examples");
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}]*)}");

    /** Plausible values for the variables examples use; never real credentials. */
    static String fakeValueFor(String name) {
        return switch (name) {
            case "DATABASE_URL" -> "postgresql://indexer:example-password@127.0.0.1:5432/stellar_escrow";
            case "REDIS_URL" -> "redis://:example-password@127.0.0.1:6379/0";
            // the installation examples/prexorcloud ships; file checks want absolute paths
            case "PREXORCLOUD_ROOT" ->
                EXAMPLES.resolve("prexorcloud/install").toAbsolutePath().toString();
            default -> name.endsWith("_URL") ? "http://127.0.0.1:8080/" : "example-" + name.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Each directory and each YAML file directly under examples/ is one example; a directory with a Docker Compose
     * file is not an Opsdeck configuration itself (ClusterExampleTest checks the one it holds).
     */
    static List<Path> examples() throws IOException {
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            return list.filter(p -> Files.isDirectory(p) && !Files.exists(p.resolve("docker-compose.yml"))
                            || p.toString().endsWith(".yaml")
                            || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    static Blueprint load(Path example) {
        try {
            return new Compiler(new ConfigLoader(new YamlReader(ExamplesTest::fakeValueFor))).load(example);
        } catch (ConfigException e) {
            return fail("%s does not pass `opsdeck config check`:%n%s", example, e.getMessage());
        }
    }

    @Test
    void thereAreExamples() throws IOException {
        assertThat(examples()).contains(EXAMPLES.resolve("stellarescrow"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void passesConfigCheck(Path example) {
        Blueprint bp = load(example);
        try {
            assertThat(bp.checks()).as("checks of %s", example).isNotEmpty();
        } finally {
            bp.checks().values().forEach(CompiledCheck::close);
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void documentsEveryEnvironmentVariableItUses(Path example) throws IOException {
        List<Path> yamls;
        try (Stream<Path> walk = Files.isDirectory(example) ? Files.walk(example) : Stream.of(example)) {
            yamls = walk.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        Set<String> used = new TreeSet<>();
        StringBuilder comments = new StringBuilder();
        for (Path y : yamls) {
            for (String line : Files.readAllLines(y)) {
                String code = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                Matcher m = ENV.matcher(code);
                while (m.find()) used.add(m.group(1).trim());
                if (line.strip().startsWith("#")) comments.append(line).append('\n');
            }
        }
        Path readme = Files.isDirectory(example) ? example.resolve("README.md") : null;
        String readmeText = readme != null && Files.exists(readme) ? Files.readString(readme) : "";
        for (String name : used) {
            assertThat(comments.toString())
                    .as("a comment in %s lists ${env:%s}", example, name)
                    .contains(name);
            if (readme != null) {
                assertThat(readmeText).as("%s explains ${env:%s}", readme, name).contains(name);
            }
        }
    }

    @Test
    void eachUnsetVariableOfStellarEscrowIsOneProblem() {
        // once 26 problems for these 5 variables: every url, datasource and step that used them again
        Problems problems = new Problems();
        OpsdeckConfig config =
                new ConfigLoader(new YamlReader(name -> null)).load(EXAMPLES.resolve("stellarescrow"), problems);
        new CheckCompiler(CheckTypes.standard())
                .compileAll(config, problems)
                .values()
                .forEach(CompiledCheck::close);
        new DestinationCompiler(DestinationTypes.standard()).compileAll(config.keep(), problems);
        assertThat(problems.sorted())
                .extracting(Problem::message)
                .containsExactlyInAnyOrder(
                        "environment variable DATABASE_URL is not set",
                        "environment variable REDIS_URL is not set",
                        "environment variable SMTP_HOST is not set",
                        "environment variable SMTP_PASSWORD is not set",
                        "environment variable SLACK_WEBHOOK_URL is not set");
    }

    @Test
    void stellarEscrowDependenciesFollowTheRunbooks() {
        Blueprint bp = load(EXAMPLES.resolve("stellarescrow"));
        try {
            var config = bp.config();
            assertThat(config.service("indexer").orElseThrow().dependencyNames())
                    .contains("postgres");
            assertThat(config.service("api").orElseThrow().dependencyNames()).contains("postgres", "redis");
            assertThat(config.service("web").orElseThrow().dependencyNames()).contains("api");
            assertThat(bp.checks().keySet())
                    .contains(
                            "api/health",
                            "indexer/health",
                            "indexer/memory",
                            "web/ttfb",
                            "nginx/site",
                            "nginx/certificate",
                            "postgres/ready",
                            "postgres/query_latency",
                            "redis/ping",
                            "redis/hit_rate",
                            "host/disk");
        } finally {
            bp.checks().values().forEach(CompiledCheck::close);
        }
    }

    /** One seed threshold: measured values and the verdict the example must give for each. */
    record Threshold(String check, Function<Object, Observation> observe, List<Object[]> verdicts) {}

    private static Object[] v(Object value, Status expected) {
        return new Object[] {value, expected};
    }

    private static Observation http(long status, String body, long millis) {
        return new Observation()
                .put("CONNECTED", true)
                .put("STATUS", status)
                .put("BODY", body)
                .put("RESPONSE_TIME", Duration.ofMillis(millis));
    }

    private static Observation postgres(long connections, Object value) {
        return new Observation()
                .put("CONNECTED", true)
                .put("VALUE", value)
                .put("ROWS", 1L)
                .put("CONNECTIONS", connections)
                .put("MAX_CONNECTIONS", 10L)
                .put("CONNECTIONS_PERCENT", connections * 100.0 / 10)
                .put("RESPONSE_TIME", Duration.ofMillis(5));
    }

    private static Observation redis(double hitRate, long usedMemory) {
        return new Observation()
                .put("CONNECTED", true)
                .put("PING", "PONG")
                .put("HIT_RATE", hitRate)
                .put("USED_MEMORY", new Observation.Size(usedMemory))
                .put("RESPONSE_TIME", Duration.ofMillis(2));
    }

    static List<Threshold> thresholds() {
        long mib = 1024 * 1024;
        return List.of(
                // TTFB: warning > 400ms, critical > 800ms
                new Threshold(
                        "web/ttfb",
                        ms -> http(200, "<html></html>", (Long) ms),
                        List.of(
                                v(400L, Status.UP),
                                v(401L, Status.DEGRADED),
                                v(800L, Status.DEGRADED),
                                v(801L, Status.DOWN))),
                // DB query mean (hot paths): warning > 20ms, critical > 50ms
                new Threshold(
                        "postgres/query_latency",
                        mean -> postgres(3, mean),
                        List.of(
                                v(20.0, Status.UP),
                                v(20.5, Status.DEGRADED),
                                v(50.0, Status.DEGRADED),
                                v(50.5, Status.DOWN))),
                // Redis hit rate: warning < 70%, critical < 60%
                new Threshold(
                        "redis/hit_rate",
                        rate -> redis((Double) rate, 10 * mib),
                        List.of(
                                v(70.0, Status.UP),
                                v(69.9, Status.DEGRADED),
                                v(60.0, Status.DEGRADED),
                                v(59.9, Status.DOWN))),
                // Indexer memory: warning > 200MB, critical > 400MB
                new Threshold(
                        "indexer/memory",
                        bytes -> new Observation()
                                .put("EXIT_CODE", 0L)
                                .put("STDOUT", bytes + "\n")
                                .put("STDERR", "")
                                .put("OUTPUT_TRUNCATED", false),
                        List.of(
                                v(200_000_000L, Status.UP), v(200_000_001L, Status.DEGRADED),
                                v(400_000_000L, Status.DEGRADED), v(400_000_001L, Status.DOWN))),
                // Disk usage: warning > 70%, critical > 85%
                new Threshold(
                        "host/disk",
                        used -> new Observation().put("USED_PERCENT", used),
                        List.of(
                                v(70.0, Status.UP),
                                v(70.1, Status.DEGRADED),
                                v(85.0, Status.DEGRADED),
                                v(85.1, Status.DOWN))),
                // PostgreSQL connections: warning > 8 (of max 10), critical > 9
                new Threshold(
                        "postgres/ready",
                        n -> postgres((Long) n, 1),
                        List.of(v(8L, Status.UP), v(9L, Status.DEGRADED), v(10L, Status.DOWN))),
                // alert IndexerLag > 5 minutes (P2); warning > 60 s is the example's own choice
                new Threshold(
                        "indexer/health",
                        lag -> http(200, "{\"status\":\"ok\",\"lag_seconds\":" + lag + "}", 20),
                        List.of(
                                v(60L, Status.UP),
                                v(61L, Status.DEGRADED),
                                v(300L, Status.DEGRADED),
                                v(301L, Status.DOWN))),
                // alert TLSCertExpiringSoon < 14 days (P2); certbot renews at 30 days left
                new Threshold(
                        "nginx/certificate",
                        days -> new Observation()
                                .put("CONNECTED", true)
                                .put("CHAIN_VALID", true)
                                .put("HOSTNAME_VALID", true)
                                .put(
                                        "CERTIFICATE_EXPIRATION",
                                        Duration.ofDays((Long) days).plusHours(12))
                                .put("DAYS_TO_EXPIRY", days),
                        List.of(
                                v(31L, Status.UP),
                                v(29L, Status.DEGRADED),
                                v(14L, Status.DEGRADED),
                                v(13L, Status.DOWN))),
                // Redis memory near maxmemory 256mb: the example's own warning at 230MiB
                new Threshold(
                        "redis/ping",
                        bytes -> redis(90.0, (Long) bytes),
                        List.of(v(230 * mib, Status.UP), v(230 * mib + 1, Status.DEGRADED))),
                // the API's health body
                new Threshold(
                        "api/health",
                        status -> http(200, "{\"status\":\"" + status + "\"}", 15),
                        List.of(v("ok", Status.UP), v("healthy", Status.UP), v("unhealthy", Status.DOWN))));
    }

    @Test
    void stellarEscrowThresholdsGiveTheVerdictsTheReadmePromises() {
        Blueprint bp = load(EXAMPLES.resolve("stellarescrow"));
        try {
            List<String> wrong = new ArrayList<>();
            for (Threshold t : thresholds()) {
                CompiledCheck check = bp.checks().get(t.check());
                assertThat(check).as("check %s", t.check()).isNotNull();
                for (Object[] verdict : t.verdicts()) {
                    var result = check.judge(t.observe().apply(verdict[0]), Instant.now(), 5);
                    if (result.status() != verdict[1]) {
                        wrong.add(t.check() + " at " + verdict[0] + ": expected " + verdict[1] + ", got "
                                + result.status() + " (" + result.message() + ")");
                    }
                }
            }
            assertThat(wrong).isEmpty();
        } finally {
            bp.checks().values().forEach(CompiledCheck::close);
        }
    }
}
