package dev.opsdeck.checklist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code checklists:} read as written, and each mistake refused with its position, through the whole compile step. */
class ChecklistConfigTest {
    private static final String BASE = """
            services:
              web:
                checks:
                  port: { type: tcp, host: 127.0.0.1, port: 443 }
            backups:
              app:
                url: postgresql://postgres@127.0.0.1:5432/app
                destinations: { disk: { type: local, path: /var/backups/opsdeck } }
            """;

    @TempDir
    Path dir;

    private Blueprint compile(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), BASE + yaml);
        return new Compiler(new ConfigLoader(new YamlReader(Map.<String, String>of()::get))).load(file);
    }

    private List<String> problems(String yaml) throws Exception {
        try {
            compile(yaml).close();
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream()
                    .map(p -> p.toString().replace(dir + "/opsdeck.yaml:", ""))
                    // the list of check types grows with every new type: only its start is this test's business
                    .map(p -> p.replaceAll("known types: http, .*\\)$", "known types: http, ...)"))
                    .toList();
        }
    }

    @Test
    void everyKindOfItemIsReadAsWritten() throws Exception {
        Blueprint b = compile("""
                checklists:
                  production:
                    title: Production readiness
                    schedule: "0 6 * * *"
                    every: 1h
                    sections:
                      - title: Access
                        items:
                          - { id: port, title: Port open, check: web/port, link: "https://example.org/why" }
                          - id: disk.free
                            severity: recommended
                            type: disk
                            path: /
                            conditions: ["[USED_PERCENT] <= 100"]
                          - { id: cosign, title: Cosign documented, manual: { expires: 30d, role: operator } }
                          - { id: backups, fact: backup.verified, params: { target: app, max_age: 26h, offsite: true } }
                """);
        try {
            ChecklistDef def = b.config().checklists().get("production");
            assertThat(def.title()).isEqualTo("Production readiness");
            assertThat(def.schedule().toString()).isEqualTo("0 6 * * *");
            assertThat(def.every()).isEqualTo(Duration.ofHours(1));
            assertThat(def.items())
                    .extracting(ChecklistDef.Item::id)
                    .containsExactly("port", "disk.free", "cosign", "backups");
            assertThat(def.items().get(0).source()).isEqualTo(new ChecklistDef.CheckRef("web/port"));
            assertThat(def.items().get(0).link()).isEqualTo("https://example.org/why");
            assertThat(def.items().get(1).severity()).isEqualTo(ChecklistDef.Severity.RECOMMENDED);
            assertThat(def.items().get(1).source().kind()).isEqualTo("inline");
            assertThat(def.items().get(2).source()).isEqualTo(new ChecklistDef.Manual(Duration.ofDays(30), "operator"));
            assertThat(def.items().get(3).source().kind()).isEqualTo("fact");
            CompiledChecklist c = b.checklists().get("production");
            assertThat(c.inline("disk.free")).isNotNull();
            assertThat(c.fact("backups")).isNotNull();
            assertThat(c.configHash()).hasSize(16);
        } finally {
            b.close();
        }
    }

    @Test
    void theNameDoctorIsOpsdecksOwnChecklist() throws Exception {
        Blueprint b = compile("");
        try {
            assertThat(b.checklists()).containsKey("doctor");
        } finally {
            b.close();
        }
        assertThat(problems("""
                checklists:
                  doctor:
                    sections: [{ title: A, items: [{ id: a, manual: { expires: 1d } }] }]
                """))
                .containsExactly(
                        "10:3: checklists.doctor: the name is taken by Opsdeck's own checklist (opsdeck doctor) (hint: choose another name)");
    }

    @Test
    void mistakesAreReportedWithTheirPositions() throws Exception {
        assertThat(problems("""
                checklists:
                  prod:
                    sections:
                      - title: A
                        items:
                          - { id: a, check: web/prot }
                          - { id: a, manual: { expires: 30d } }
                          - { id: b, check: web/port, manual: { expires: 1d } }
                          - { id: c, severity: must, manual: {} }
                          - { id: d, fact: backup.verifed }
                          - { id: e, fact: backup.verified, params: { target: nope, max_age: 1d } }
                          - { id: f, type: tcp, host: 127.0.0.1, prot: 1 }
                          - { id: g, type: nosuch }
                          - { id: "h/../x", manual: { expires: 1d } }
                          - { id: i, title: nothing }
                          - { id: j, manual: { expires: 1d, role: viewer } }
                """))
                .containsExactlyInAnyOrder(
                        "14:29: checklists.prod.items.a.check: no check 'web/prot' (hint: name a configured check as service/check; did you mean 'web/port'?)",
                        "15:19: checklists.prod: item id 'a' is used twice (hint: first used at 14:19)",
                        "16:47: checklists.prod.items.b: has check and manual; an item is proven exactly one way (hint: one of check: SERVICE/CHECK, type: (an inline check), manual: { expires: 90d }, fact: NAME)",
                        "17:32: checklists.prod.items.c.severity: unknown value \"must\" (hint: one of required, recommended)",
                        "18:28: checklists.prod.items.d.fact: unknown fact \"backup.verifed\" (hint: did you mean 'backup.verified'?)",
                        "19:63: checklists.prod.items.e.params.target: no backup target 'nope' (hint: configured: [app])",
                        "20:13: checklists.prod.items.f: missing required key 'port'",
                        "20:50: checklists.prod.items.f: unknown key 'prot' (hint: did you mean 'port'?)",
                        "21:28: unknown check type \"nosuch\" (hint: known types: http, ...)",
                        "22:19: checklists.prod.items.h/../x: item id 'h/../x' is not allowed (hint: use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 80))",
                        "23:13: checklists.prod.items.i: says nothing about how it is proven (hint: one of check: SERVICE/CHECK, type: (an inline check), manual: { expires: 90d }, fact: NAME)",
                        "24:51: checklists.prod.items.j.manual.role: unknown value \"viewer\" (hint: one of responder, operator, admin)");
    }

    @Test
    void aDrillFactTakesDaysInARowOrMaxAgeNotBoth() throws Exception {
        String drill = """
                drills:
                  monthly: { target: app, scratch: { private: true }, min_tables: 1 }
                checklists:
                  prod:
                    sections:
                      - items:
                          - { id: a, fact: drill.passed, params: { target: app, max_age: 32d } }
                          - { id: b, fact: drill.passed, params: { target: app, days_in_a_row: 7, max_age: 32d } }
                """;
        assertThat(problems(drill))
                .containsExactly(
                        "16:92: checklists.prod.items.b.params.max_age: give days_in_a_row or max_age, not both");
    }
}
