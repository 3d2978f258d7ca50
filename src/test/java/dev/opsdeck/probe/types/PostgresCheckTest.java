package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import org.junit.jupiter.api.Test;

/** Against the real PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres, database test). */
class PostgresCheckTest {
    static final String URL = "postgresql://postgres@127.0.0.1:5432/test";

    @Test
    void connectsAndReadsConnectionStats() throws Exception {
        Observation o = observe("type: postgres\nurl: " + URL);
        assertThat(o.failure()).isNull();
        assertThat(o.get("CONNECTED")).isEqualTo(true);
        assertThat((long) o.get("CONNECTIONS")).isGreaterThanOrEqualTo(1); // at least our own
        assertThat((long) o.get("CONNECTIONS_ACTIVE")).isGreaterThanOrEqualTo(1);
        assertThat((long) o.get("MAX_CONNECTIONS")).isPositive();
        assertThat((double) o.get("CONNECTIONS_PERCENT")).isBetween(0.0, 100.0);
        assertThat(o.has("VALUE")).isFalse();
    }

    @Test
    void defaultConditionAndConnectionConditions() {
        CheckResult r = run("type: postgres\nurl: " + URL);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        r = run("""
                type: postgres
                url: %s
                conditions: ["[CONNECTIONS_PERCENT] < 0.001%%"]
                """.formatted(URL));
        assertThat(r.message()).startsWith("[CONNECTIONS_PERCENT]: expected < 0.001%, got ");
    }

    @Test
    void queryValueBecomesValue() throws Exception {
        Observation o =
                observe("type: postgres\nurl: " + URL + "\nquery: select 42, 'ignored' union all select 7, 'x'");
        assertThat(o.get("VALUE")).isEqualTo(42);
        assertThat(o.get("ROWS")).isEqualTo(2L);
        CheckResult r = run("""
                type: postgres
                url: jdbc:postgresql://127.0.0.1:5432/test?user=postgres
                query: select 'replica'
                conditions: ["[VALUE] == primary"]
                """);
        assertThat(r.message()).isEqualTo("[VALUE]: expected primary, got \"replica\"");
    }

    @Test
    void queryErrorsAndWritesAreReported() {
        assertThat(run("type: postgres\nurl: " + URL + "\nquery: select * from no_such_table")
                        .message())
                .isEqualTo("query failed: relation \"no_such_table\" does not exist");
        assertThat(run("type: postgres\nurl: " + URL + "\nquery: create table opsdeck_should_not_exist(a int)")
                        .message())
                .isEqualTo("query failed: cannot execute CREATE TABLE in a read-only transaction");
    }

    @Test
    void serverSideRefusalsAreShortAndNeverShowThePassword() {
        CheckResult r = run("type: postgres\nurl: postgresql://postgres:s3cr3t-pw@127.0.0.1:5432/no_such_db");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo("database \"no_such_db\" does not exist")
                .doesNotContain("s3cr3t-pw");
        r = run("type: postgres\nurl: postgresql://nobody:s3cr3t-pw@127.0.0.1:5432/test");
        assertThat(r.message()).isEqualTo("role \"nobody\" does not exist");
    }

    @Test
    void networkFailures() throws Exception {
        assertThat(run("type: postgres\ntimeout: 2s\nurl: postgresql://postgres:pw@127.0.0.1:" + TestChecks.freePort()
                                + "/test")
                        .message())
                .isEqualTo("connection refused");
        assertThat(run("type: postgres\ntimeout: 2s\nurl: postgresql://postgres:pw@no-such-host.invalid/test")
                        .message())
                .isEqualTo("DNS lookup failed for no-such-host.invalid");
        try (SilentServer silent = new SilentServer()) {
            long start = System.nanoTime();
            CheckResult r =
                    run("type: postgres\ntimeout: 1s\nurl: postgresql://postgres@127.0.0.1:" + silent.port() + "/test");
            assertThat(r.message()).isEqualTo("timed out after 1s");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 2500L);
        }
    }

    @Test
    void urlConversion() {
        PostgresTarget u = PostgresTarget.parse("postgresql://app:p%40ss/w@db.internal:6432/orders?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/orders?sslmode=require");
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.password()).isEqualTo("p@ss/w");
        assertThat(u.redact("bad p@ss/w here")).isEqualTo("bad *** here");
        assertThat(PostgresTarget.parse("postgres://h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(PostgresTarget.parse("jdbc:postgresql://h/db?user=u&password=pw")
                        .password())
                .isEqualTo("pw");
        assertThat(PostgresTarget.parse("mysql://h/db")).isNull();
    }

    @Test
    void badUrlIsReportedWithoutEchoingIt() {
        assertThat(TestChecks.problems("type: postgres\nurl: mysql://root:hunter2@db/x"))
                .singleElement()
                .asString()
                .startsWith("file:6:14: services.x.checks.y.url: not a PostgreSQL URL")
                .doesNotContain("hunter2");
    }
}
