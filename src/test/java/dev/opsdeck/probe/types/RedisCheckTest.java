package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against the real Redis at 127.0.0.1:6379 (no password). */
class RedisCheckTest {
    @Test
    void pingsAndReadsInfo() throws Exception {
        Observation o = observe("type: redis\nurl: redis://127.0.0.1:6379");
        assertThat(o.failure()).isNull();
        assertThat(o.get("CONNECTED")).isEqualTo(true);
        assertThat(o.get("PING")).isEqualTo("PONG");
        assertThat(((Observation.Size) o.get("USED_MEMORY")).bytes()).isPositive();
        assertThat((long) o.get("CONNECTED_CLIENTS")).isGreaterThanOrEqualTo(1);
        assertThat(o.get("ROLE")).isEqualTo("master");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) o.get("INFO");
        assertThat(info).containsKeys("redis_version", "used_memory_peak");
    }

    @Test
    void hitRateAfterTraffic() throws Exception {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            Resp resp = new Resp(s);
            resp.call("SET", "opsdeck:test:hit", "1");
            resp.call("GET", "opsdeck:test:hit");
            resp.call("GET", "opsdeck:test:miss");
            resp.call("DEL", "opsdeck:test:hit");
        }
        Observation o = observe("type: redis\nhost: 127.0.0.1\nport: 6379\ndb: 1");
        assertThat((double) o.get("HIT_RATE")).isBetween(0.0, 100.0);
    }

    @Test
    void conditionsOnInfoFieldsAndSizes() {
        CheckResult r = run("""
                type: redis
                url: redis://127.0.0.1:6379/0
                conditions:
                  - "[PING] == PONG"
                  - "[USED_MEMORY] < 100GB"
                  - "[INFO].used_memory_peak > 0"
                  - "[INFO].redis_mode == standalone"
                """);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        r = run("type: redis\nurl: redis://127.0.0.1:6379\nconditions: [\"[USED_MEMORY] < 1KB\"]");
        assertThat(r.message()).matches("\\[USED_MEMORY]: expected < 1KB, got [\\d.]+MB");
    }

    @Test
    void wrongPasswordIsReportedWithoutThePassword() {
        CheckResult r = run("type: redis\nurl: redis://:not-the-pw-4711@127.0.0.1:6379");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).startsWith("AUTH failed: ERR AUTH").doesNotContain("not-the-pw-4711");
    }

    @Test
    void networkFailures() throws Exception {
        assertThat(run("type: redis\nhost: 127.0.0.1\nport: " + TestChecks.freePort())
                        .message())
                .isEqualTo("connection refused");
        assertThat(run("type: redis\nurl: redis://no-such-host.invalid:6379").message())
                .isEqualTo("DNS lookup failed for no-such-host.invalid");
        try (SilentServer silent = new SilentServer();
                SilentServer garbage = new SilentServer(SilentServer.Mode.GARBAGE)) {
            long start = System.nanoTime();
            assertThat(run("type: redis\ntimeout: 1s\nhost: 127.0.0.1\nport: " + silent.port())
                            .message())
                    .isEqualTo("timed out after 1s");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 2500L);
            assertThat(run("type: redis\ntimeout: 1s\nhost: 127.0.0.1\nport: " + garbage.port())
                            .message())
                    .isEqualTo("not a Redis reply (starts with 'H')");
        }
    }

    @Test
    void urlParsing() {
        RedisTarget t = RedisTarget.parse("rediss://app:pw@cache:6380/2", false);
        assertThat(t).isEqualTo(new RedisTarget("cache", 6380, "app", "pw", 2, true, false));
        assertThat(t.toString()).doesNotContain("pw");
        assertThat(RedisTarget.parse("redis://secret@cache", false).password()).isEqualTo("secret");
        assertThat(RedisTarget.parse("http://cache", false)).isNull();
    }

    @Test
    void configErrors() {
        assertThat(TestChecks.problems("type: redis\nurl: redis://h\nhost: h"))
                .containsExactly("file:6:14: services.x.checks.y: give either url or host/port/password/db, not both");
        assertThat(TestChecks.problems("type: redis"))
                .singleElement()
                .asString()
                .contains("missing required key 'url' (or 'host')");
        assertThat(TestChecks.problems("type: redis\nurl: 'redis://:hunter2@h/notadb'"))
                .singleElement()
                .asString()
                .contains("url: not a Redis URL")
                .doesNotContain("hunter2");
    }
}
