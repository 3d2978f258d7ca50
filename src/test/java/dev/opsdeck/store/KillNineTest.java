package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM that is writing to the embedded store at random moments, many times on the same
 * file: the database must stay intact and hold at least every row the child said was committed.
 */
class KillNineTest {
    static final int KILLS = 22;

    @TempDir
    Path dir;

    @Test
    void embeddedStoreSurvivesKillNine() throws Exception {
        Random random = new Random();
        long lastCommitted = 0;
        int killedWhileWriting = 0;
        long started = System.nanoTime();
        for (int i = 0; i < KILLS; i++) {
            AtomicLong committed = new AtomicLong(-1);
            Process child = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-Xshare:auto",
                            "-Xmx128m",
                            "--enable-native-access=ALL-UNNAMED",
                            "-DOPSDECK_LOG_LEVEL=WARN",
                            "-cp",
                            System.getProperty("java.class.path"),
                            KillNineChild.class.getName(),
                            dir.toString()))
                    .redirectError(dir.resolve("child-" + i + ".err").toFile())
                    .start();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("committed ")) committed.set(Long.parseLong(line.substring(10)));
                    }
                } catch (Exception ignored) {
                    // the pipe breaks when the child is killed
                }
            });
            // wait for the first commit (at most 15 s), then kill at a random moment while it writes
            long deadline = System.currentTimeMillis() + 15_000;
            while (committed.get() < 0 && child.isAlive() && System.currentTimeMillis() < deadline) Thread.sleep(5);
            Thread.sleep(random.nextInt(400));
            assertThat(child.isAlive())
                    .as("child %d still running (see %s)", i, dir.resolve("child-" + i + ".err"))
                    .isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            if (committed.get() > lastCommitted) killedWhileWriting++;
            lastCommitted = Math.max(lastCommitted, committed.get());

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("opsdeck.db"));
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("integrity after kill %d", i).isEqualTo("ok");
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM check_result")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows after kill %d", i).isGreaterThanOrEqualTo(lastCommitted);
                }
            }
        }
        System.out.printf(
                "kill -9: %d kills, %d while writing, last committed %d, %d s%n",
                KILLS, killedWhileWriting, lastCommitted, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(killedWhileWriting).isGreaterThanOrEqualTo(KILLS - 2);
    }
}
