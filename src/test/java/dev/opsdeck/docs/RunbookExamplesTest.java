package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The example runbooks, read as plain YAML: each has an id, a title and steps of known types, and everything a
 * step names (checks, datasources, channels, other runbooks, steps to go to, parameters) exists in its example.
 */
class RunbookExamplesTest {
    private static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final Set<String> TYPES =
            Set.of("shell", "ssh", "http", "sql", "check", "wait", "approval", "notify", "runbook", "sleep");
    private static final Pattern PARAM = Pattern.compile("\\{\\{\\s*params\\.([a-z_][a-z0-9_]*)\\s*}}");

    /** Every top-level section of every YAML file under {@code dir}, merged (keyed sections add up). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> sections(Path dir) throws IOException {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            Map<String, Object> root = new Yaml().load(Files.readString(f));
            if (root == null) continue;
            root.forEach((k, v) -> {
                if (v instanceof Map<?, ?> m)
                    all.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll((Map<String, Object>) m);
            });
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> checks(Map<String, Map<String, Object>> sections) {
        Set<String> names = new TreeSet<>();
        sections.getOrDefault("services", Map.of())
                .forEach((service, def) -> ((Map<String, Object>)
                                ((Map<String, Object>) def).getOrDefault("checks", Map.of()))
                        .keySet()
                        .forEach(c -> names.add(service + "/" + c)));
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Map<String, Map<String, Object>> sections) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> runbooks = sections.getOrDefault("runbooks", Map.of());
        Set<String> checks = checks(sections);
        Set<String> datasources = sections.getOrDefault("datasources", Map.of()).keySet();
        Set<String> channels = sections.getOrDefault("channels", Map.of()).keySet();
        Set<String> services = sections.getOrDefault("services", Map.of()).keySet();
        runbooks.forEach((id, value) -> {
            Map<String, Object> rb = (Map<String, Object>) value;
            if (!ID.matcher(id).matches()) problems.add(id + ": id is not lower-case letters, digits and '-'");
            if (!(rb.get("title") instanceof String)) problems.add(id + ": no title");
            for (Object s : (List<Object>) rb.getOrDefault("services", List.of())) {
                if (!services.contains(s)) problems.add(id + ": unknown service " + s);
            }
            Set<String> params = ((Map<String, Object>) rb.getOrDefault("params", Map.of())).keySet();
            List<Map<String, Object>> steps =
                    new ArrayList<>((List<Map<String, Object>>) rb.getOrDefault("steps", List.of()));
            if (steps.isEmpty()) problems.add(id + ": no steps");
            steps.addAll((List<Map<String, Object>>) rb.getOrDefault("rollback", List.of()));
            Set<String> stepIds = new TreeSet<>();
            for (Map<String, Object> step : steps) {
                String where = id + "/" + step.get("id");
                if (!(step.get("id") instanceof String sid) || !ID.matcher(sid).matches() || !stepIds.add(sid)) {
                    problems.add(where + ": missing, malformed or duplicate step id");
                }
                String type = String.valueOf(step.get("type"));
                if (!TYPES.contains(type)) problems.add(where + ": unknown type " + type);
                if (step.get("run") instanceof String run && run.contains("{{"))
                    problems.add(where + ": template inside run:");
                if ((type.equals("check") || type.equals("wait"))
                        && step.get("check") instanceof String c
                        && !checks.contains(c)) {
                    problems.add(where + ": unknown check " + c);
                }
                if (type.equals("sql") && !datasources.contains(step.get("datasource")))
                    problems.add(where + ": unknown datasource");
                if (type.equals("notify") && !channels.contains(step.get("channel")))
                    problems.add(where + ": unknown channel");
                if (type.equals("runbook") && !runbooks.containsKey(step.get("runbook")))
                    problems.add(where + ": unknown runbook");
                if (step.get("on_failure") instanceof Map<?, ?> f
                        && f.get("run") != null
                        && !runbooks.containsKey(f.get("run"))) {
                    problems.add(where + ": on_failure runs unknown runbook " + f.get("run"));
                }
                Matcher m = PARAM.matcher(new Yaml().dump(step));
                while (m.find())
                    if (!params.contains(m.group(1))) problems.add(where + ": unknown parameter " + m.group(1));
            }
            for (Map<String, Object> step : steps) {
                if (step.get("on_failure") instanceof Map<?, ?> f
                        && f.get("goto") != null
                        && !stepIds.contains(f.get("goto"))) {
                    problems.add(id + "/" + step.get("id") + ": goto unknown step " + f.get("goto"));
                }
            }
        });
        return problems;
    }

    @Test
    void stellarEscrowHasRb001ToRb013OneFileEach() throws IOException {
        Path dir = ExamplesTest.EXAMPLES.resolve("stellarescrow");
        Map<String, Map<String, Object>> sections = sections(dir);
        assertThat(sections.get("runbooks").keySet())
                .containsExactly(
                        "rb-001",
                        "rb-002",
                        "rb-003",
                        "rb-004",
                        "rb-005",
                        "rb-006",
                        "rb-007",
                        "rb-008",
                        "rb-009",
                        "rb-010",
                        "rb-011",
                        "rb-012",
                        "rb-013",
                        "rotate-api-keys");
        try (Stream<Path> list = Files.list(dir.resolve("runbooks"))) {
            assertThat(list.filter(p -> p.getFileName().toString().startsWith("rb-"))
                            .count())
                    .isEqualTo(13);
        }
        assertThat(problems(sections)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void stellarEscrowRunbooksUseTheOneMachineStackNotCompose() throws IOException {
        Map<String, Object> runbooks =
                sections(ExamplesTest.EXAMPLES.resolve("stellarescrow")).get("runbooks");
        StringBuilder scripts = new StringBuilder();
        runbooks.values()
                .forEach(rb -> ((List<Map<String, Object>>) ((Map<String, Object>) rb).get("steps"))
                        .forEach(s -> scripts.append(s.getOrDefault("run", "")).append('\n')));
        assertThat(scripts.toString()).doesNotContain("docker").contains("pg_ctlcluster", "pg_isready", "redis-cli");
        Map<String, Object> rb001 = (Map<String, Object>) runbooks.get("rb-001");
        assertThat(rb001).containsEntry("target", "15m");
        assertThat((List<Map<String, Object>>) rb001.get("steps"))
                .extracting(s -> s.get("type"))
                .contains("shell", "wait", "sql"); // diagnose, restart, wait until it accepts connections, check writes
    }

    @Test
    @SuppressWarnings("unchecked")
    void yieldVaultRedeployHasTargetsHealthGatesSmokeTestsAndRollback() throws IOException {
        Map<String, Map<String, Object>> sections = sections(ExamplesTest.EXAMPLES.resolve("yieldvault"));
        assertThat(problems(sections)).isEmpty();
        Map<String, Object> rb = (Map<String, Object>) sections.get("runbooks").get("redeploy");
        assertThat(rb).containsEntry("target", "30m");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) rb.get("steps");
        assertThat(steps)
                .allSatisfy(s -> assertThat(s.get("type").equals("approval")
                                || s.get("type").equals("notify")
                                || s.containsKey("target"))
                        .as("step %s has a target", s.get("id"))
                        .isTrue());
        assertThat(steps)
                .extracting(s -> s.get("id"))
                .containsExactly(
                        "assess", "prepare", "stop", "deploy", "config", "migrate", "start", "verify", "smoke");
        assertThat(steps)
                .filteredOn(s -> s.get("id").equals("verify"))
                .extracting(s -> s.get("type"))
                .containsExactly("wait");
        assertThat((List<Map<String, Object>>) rb.get("rollback"))
                .extracting(s -> s.get("id"))
                .containsExactly("stop-new", "restore", "start-previous", "verify-previous");
    }

    @Test
    void prismMevHasARunbookForEachEmergencyProcedureOfItsManual() throws IOException {
        Map<String, Map<String, Object>> sections = sections(ExamplesTest.EXAMPLES.resolve("prism-mev"));
        assertThat(problems(sections)).isEmpty();
        assertThat(sections.get("runbooks").keySet())
                .containsExactlyInAnyOrder(
                        "deploy",
                        "rollback",
                        "traffic-off",
                        "traffic-on",
                        "credential-compromise",
                        "resource-exhaustion",
                        "resume-docs",
                        "daily-review",
                        "docs-hygiene",
                        "prune");
        assertThat(sections.get("schedules").keySet())
                .containsExactlyInAnyOrder("daily-review", "docs-hygiene", "weekly-prune");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyScriptOfTheExamplesIsValidShellSyntax() throws Exception {
        for (String example : List.of("stellarescrow", "yieldvault", "prism-mev")) {
            Map<String, Object> runbooks =
                    sections(ExamplesTest.EXAMPLES.resolve(example)).get("runbooks");
            for (var rb : runbooks.entrySet()) {
                Map<String, Object> def = (Map<String, Object>) rb.getValue();
                List<Map<String, Object>> steps = new ArrayList<>((List<Map<String, Object>>) def.get("steps"));
                steps.addAll((List<Map<String, Object>>) def.getOrDefault("rollback", List.of()));
                for (Map<String, Object> step : steps) {
                    if (!(step.get("run") instanceof String run)) continue;
                    Process p = new ProcessBuilder("/bin/sh", "-n", "-c", run)
                            .redirectErrorStream(true)
                            .start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(p.waitFor())
                            .as("%s/%s: %s", rb.getKey(), step.get("id"), out)
                            .isZero();
                }
            }
        }
    }

    @Test
    void theCheckerFindsWhatIsMissing() {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        sections.put(
                "runbooks",
                Map.of(
                        "Bad_Id",
                        Map.of(
                                "steps",
                                List.of(
                                        Map.of("id", "a", "type", "wait", "check", "nope/health"),
                                        Map.of(
                                                "id",
                                                "a",
                                                "type",
                                                "shell",
                                                "run",
                                                "echo {{params.x}}",
                                                "on_failure",
                                                Map.of("goto", "z"))))));
        assertThat(problems(sections))
                .containsExactlyInAnyOrder(
                        "Bad_Id: id is not lower-case letters, digits and '-'",
                        "Bad_Id: no title",
                        "Bad_Id/a: unknown check nope/health",
                        "Bad_Id/a: missing, malformed or duplicate step id",
                        "Bad_Id/a: template inside run:",
                        "Bad_Id/a: unknown parameter x",
                        "Bad_Id/a: goto unknown step z");
    }
}
