package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drills:}: a full drill is read as written; every mistake is reported at once, at its line and column. */
class DrillConfigTest {
    @TempDir
    Path dir;

    private static final String TARGET = """
            backups:
              stellar_escrow:
                url: postgresql://backup@db.internal:5432/app
                destinations: { disk: { type: local, path: /var/backups/opsdeck } }
            """;

    private OpsdeckConfig load(String yaml, Problems problems) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), TARGET + yaml);
        OpsdeckConfig c = new ConfigLoader(new YamlReader(Map.of("PW", "s3cret-pw")::get)).load(file, problems);
        new CheckCompiler(CheckTypes.standard()).compileAll(c, problems); // the assertions' conditions
        return c;
    }

    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        load(yaml, problems);
        return problems.sorted().stream()
                .map(p -> p.toString().replace(dir + "/", ""))
                .toList();
    }

    @Test
    void aFullDrillIsReadAsWritten() throws IOException {
        Problems problems = new Problems();
        OpsdeckConfig c = load("""
                drills:
                  monthly-dr:
                    target: stellar_escrow
                    backup: "42"
                    scratch: { server: "postgresql://drill:${env:PW}@scratch.internal:5432/postgres" }
                    timeout: 2h
                    notify: [ops]
                    min_tables: 3
                    tables:
                      trades: { min_rows: 10 }
                      public.events: { within_percent_of_source: 10% }
                    assertions:
                      recent: { query: "SELECT count(*) FROM trades", expect: ">= 3" }
                      some: { query: "SELECT id FROM events", expect: "[ROWS] > 0" }
                  private-dr:
                    target: stellar_escrow
                    scratch: { private: true, pg_bin: /usr/lib/postgresql/15/bin, dir: /var/lib/opsdeck/drills }
                    min_tables: 1
                """, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(problems.literalSecrets()).isEmpty();
        DrillDef d = c.keep().drills().get("monthly-dr");
        assertThat(d.target()).isEqualTo("stellar_escrow");
        assertThat(d.backupId()).isEqualTo(42L);
        assertThat(d.scratch().privateInstance()).isFalse();
        assertThat(d.scratch().server()).isEqualTo("postgresql://drill:s3cret-pw@scratch.internal:5432/postgres");
        assertThat(d.toString())
                .doesNotContain("s3cret-pw")
                .contains("postgresql://drill:***@scratch.internal:5432/postgres");
        assertThat(d.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(d.channels()).containsExactly("ops");
        assertThat(d.minTables()).isEqualTo(3);
        assertThat(d.tables())
                .extracting(
                        DrillDef.TableExpectation::table,
                        DrillDef.TableExpectation::minRows,
                        DrillDef.TableExpectation::withinPercent)
                .containsExactly(Tuple.tuple("trades", 10L, null), Tuple.tuple("public.events", 1L, 10.0));
        assertThat(d.assertions())
                .extracting(DrillDef.Assertion::name, DrillDef.Assertion::expect)
                .containsExactly(Tuple.tuple("recent", "[VALUE] >= 3"), Tuple.tuple("some", "[ROWS] > 0"));
        DrillDef p = c.keep().drills().get("private-dr");
        assertThat(p.backupId()).as("latest verified").isNull();
        assertThat(p.scratch().privateInstance()).isTrue();
        assertThat(p.scratch().pgBin()).isEqualTo(Path.of("/usr/lib/postgresql/15/bin"));
        assertThat(p.scratch().dir()).isEqualTo(Path.of("/var/lib/opsdeck/drills"));
        assertThat(p.timeout()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aDrillNeedsAScratchAndATarget() throws IOException {
        assertThat(problems("""
                drills:
                  bare: { min_tables: 1 }
                """))
                .containsExactly(
                        "opsdeck.yaml:6:9: drills.bare: missing required key 'target'",
                        "opsdeck.yaml:6:9: drills.bare: missing required key 'scratch' (hint: scratch: { private: true } (a PostgreSQL started for the drill) or scratch: { server: postgresql://... })");
    }

    @Test
    void everyMistakeIsReportedWithItsPosition() throws IOException {
        assertThat(problems("""
                drills:
                  typo:
                    target: stellar_escrw
                    backup: stellar_escrow
                    scratch: { private: true, server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    min_tables: 0
                    tables:
                      "bad name": { min_rows: -1, within_percent_of_source: 150 }
                    assertions:
                      broken: { query: "SELECT 1", expect: "[VALUE] >" }
                      half: { expect: "== 1" }
                  nothing:
                    target: elsewhere
                    scratch: { pg_bin: bin }
                  "bad.name":
                    target: stellar_escrow
                    scratch: { server: "mysql://db", dir: /tmp }
                    min_tables: 1
                  unchecked:
                    target: stellar_escrow
                    scratch: { private: true }
                    tabels: { trades: {} }
                """))
                .containsExactly(
                        "opsdeck.yaml:7:13: drills.typo.target: no backup target 'stellar_escrw' (hint: did you mean 'stellar_escrow'?)",
                        "opsdeck.yaml:8:13: drills.typo.backup: expected latest or a backup id, got \"stellar_escrow\" (hint: the backup target goes in target:; backup: chooses which of its backups (default: latest verified))",
                        "opsdeck.yaml:9:14: drills.typo.scratch: server and private: true exclude each other (hint: restore into a temporary database on a server, or into a private PostgreSQL: choose one)",
                        "opsdeck.yaml:10:17: drills.typo.min_tables: 0 is out of range (hint: use a whole number from 1 to 100000)",
                        "opsdeck.yaml:12:7: drills.typo.tables: 'bad name' is not a table name (hint: write table or schema.table, letters, digits, '_' and '$')",
                        "opsdeck.yaml:12:31: drills.typo.tables.bad name.min_rows: -1 is out of range (hint: use a whole number from 0 to 1000000000)",
                        "opsdeck.yaml:12:61: drills.typo.tables.bad name.within_percent_of_source: expected a percentage from 0 to 100, got \"150\" (hint: e.g. 10 or 10%: the restored count may differ from the live source's by that much)",
                        "opsdeck.yaml:14:44: drills.typo.assertions.broken.expect: bad condition: \"[VALUE] >\" needs a value on both sides of > (hint: e.g. [RESPONSE_TIME] < 500ms)",
                        "opsdeck.yaml:15:13: drills.typo.assertions.half: missing required key 'query'",
                        "opsdeck.yaml:16:3: drills.nothing: a drill needs at least one expectation (hint: add min_tables:, tables: or assertions:; a restore that is not checked proves little)",
                        "opsdeck.yaml:17:13: drills.nothing.target: no backup target 'elsewhere' (hint: backup targets: stellar_escrow)",
                        "opsdeck.yaml:18:14: drills.nothing.scratch: give server: (a temporary database is created there) or private: true (hint: e.g. scratch: { private: true })",
                        "opsdeck.yaml:18:24: drills.nothing.scratch.pg_bin: must be an absolute path, got \"bin\" (hint: e.g. /usr/lib/postgresql/16/bin)",
                        "opsdeck.yaml:19:3: drill name 'bad.name' is not allowed (hint: use letters, digits, '_' or '-', starting with a letter or digit)",
                        "opsdeck.yaml:21:24: drills.bad.name.scratch.server: not a postgresql:// URL (hint: postgresql://drill:${env:DRILL_DB_PASSWORD}@scratch.internal:5432/postgres)",
                        "opsdeck.yaml:21:43: drills.bad.name.scratch.dir: only used with private: true (hint: a temporary database on a server needs no local directory)",
                        "opsdeck.yaml:23:3: drills.unchecked: a drill needs at least one expectation (hint: add min_tables:, tables: or assertions:; a restore that is not checked proves little)",
                        "opsdeck.yaml:26:5: drills.unchecked: unknown key 'tabels' (hint: did you mean 'tables'?)");
    }
}
