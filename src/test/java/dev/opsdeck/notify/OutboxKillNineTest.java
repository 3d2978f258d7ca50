package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.ChannelDef;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM several times while it enqueues and delivers, then lets a last run finish. The
 * receiver must have seen every key, and never again a key the outbox had recorded as delivered before a
 * kill: the only repeats are messages acknowledged by the receiver in the instant before the kill, whose
 * delivered mark had not yet been committed (the documented window, at most one per attempt in flight).
 */
class OutboxKillNineTest {
    static final int MESSAGES = 300, KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void killedMidDeliveryLosesNothingAndResendsOnlyWhatWasInFlight() throws Exception {
        Random random = new Random();
        try (Receiver receiver = new Receiver()) {
            Set<String> deliveredBefore = new HashSet<>();
            List<String> violations = new ArrayList<>();
            int seen = 0, killedMidway = 0;
            for (int run = 0; run <= KILLS; run++) {
                boolean last = run == KILLS;
                AtomicBoolean done = new AtomicBoolean();
                Process child = start(receiver.url("/ok"), run);
                Thread reader = Thread.ofPlatform().start(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                        for (String line; (line = in.readLine()) != null; ) if (line.equals("done")) done.set(true);
                    } catch (Exception ignored) {
                        // the pipe breaks when the child is killed
                    }
                });
                if (last) {
                    assertThat(child.waitFor(90, TimeUnit.SECONDS))
                            .as("last run finishes")
                            .isTrue();
                    reader.join(5_000);
                    assertThat(done)
                            .as("last run saw nothing pending (see %s)", dir.resolve("child-" + run + ".err"))
                            .isTrue();
                } else {
                    // kill once the run has sent something (or after 10 s), at a random moment after that
                    long deadline = System.currentTimeMillis() + 10_000;
                    int before = receiver.requests.size();
                    while (receiver.requests.size() == before
                            && child.isAlive()
                            && System.currentTimeMillis() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(random.nextInt(300));
                    if (child.isAlive() && !done.get()) killedMidway++;
                    child.destroyForcibly();
                    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    reader.join(5_000);
                }
                List<Receiver.Request> requests = receiver.requests;
                for (Receiver.Request r : requests.subList(seen, requests.size())) {
                    String key = r.header("Idempotency-Key");
                    if (deliveredBefore.contains(key))
                        violations.add(key + " resent in run " + run + " after it was marked delivered");
                }
                seen = requests.size();
                deliveredBefore.addAll(delivered());
            }
            List<String> keys = receiver.requests.stream()
                    .map(r -> r.header("Idempotency-Key"))
                    .toList();
            Set<String> distinct = new HashSet<>(keys);
            assertThat(violations).isEmpty();
            assertThat(distinct).as("every message reached the receiver").hasSize(MESSAGES);
            assertThat(deliveredBefore).hasSize(MESSAGES);
            assertThat(keys.size() - distinct.size())
                    .as("repeats: only attempts in flight at a kill")
                    .isLessThanOrEqualTo(KILLS * ChannelDef.DEFAULT_MAX_IN_FLIGHT);
            assertThat(killedMidway).as("kills that interrupted a run").isGreaterThanOrEqualTo(KILLS - 1);
            System.out.printf("outbox kill -9: %d kills, %d requests for %d messages%n", KILLS, keys.size(), MESSAGES);
        }
    }

    private Process start(String url, int run) throws Exception {
        return new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xshare:auto",
                        "-Xmx128m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-DOPSDECK_LOG_LEVEL=WARN",
                        "-cp",
                        System.getProperty("java.class.path"),
                        OutboxKillNineChild.class.getName(),
                        dir.toString(),
                        url,
                        Integer.toString(MESSAGES)))
                .redirectError(dir.resolve("child-" + run + ".err").toFile())
                .start();
    }

    private Set<String> delivered() throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("opsdeck.db"));
                Statement s = c.createStatement();
                ResultSet t = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'outbox'")) {
            // a run killed before its store was created (a slow start on a loaded machine) delivered nothing
            if (t.getInt(1) == 0) return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("opsdeck.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT idempotency_key FROM outbox WHERE status = 'delivered'")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
