package dev.opsdeck.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads one step of a runbook: the shared keys, then its type's own; unknown keys are reported. */
final class StepReader {
    private final Problems problems;
    private final Set<String> secrets;
    private final String where;
    private final StepScope scope;
    private YamlNode node;

    StepReader(Problems problems, Set<String> secrets, String where, StepScope scope) {
        this.problems = problems;
        this.secrets = secrets;
        this.where = where;
        this.scope = scope;
    }

    RunbookStep read(YamlNode node) {
        if (!node.isMap()) {
            problems.add(
                    node.position(), where + ": expected a step (a mapping with id and type), got " + node.describe());
            return null;
        }
        this.node = node;
        Fields f = new Fields(node, where, problems);
        String id = f.requiredString("id");
        if (id != null && !RunbookReader.STEP_ID.matcher(id).matches()) {
            problems.add(
                    f.positionOf("id"),
                    where + ".id: '" + id + "' is not allowed",
                    "use lower-case letters, digits, '-' and '_'");
        }
        String type = f.requiredString("type");
        if (type != null && !RunbookStep.TYPES.contains(type)) {
            String guess = Fields.closest(type, RunbookStep.TYPES);
            problems.add(
                    f.positionOf("type"),
                    where + ".type: unknown step type \"" + type + "\"",
                    guess != null ? "did you mean '" + guess + "'?" : "types: " + String.join(", ", RunbookStep.TYPES));
            type = null;
        }
        String title = f.string("title", id);
        Duration target = f.has("target") ? f.positiveDuration("target", null) : null;
        Duration timeout = f.positiveDuration(
                "timeout",
                "approval".equals(type) ? RunbookReader.DEFAULT_APPROVAL_TIMEOUT : RunbookReader.DEFAULT_STEP_TIMEOUT);
        Fields retries = f.child("retries");
        int attempts = retries.integer("attempts", 1, 1, 20);
        Duration backoff = retries.duration("backoff", Duration.ofSeconds(1));
        retries.finish();
        String when = f.string("when", null);
        Position whenAt = f.positionOf("when");
        RunbookStep.OnFailure onFailure = onFailure(f);
        boolean confirm = f.bool("confirm", false);
        RunbookStep.Action action = type == null ? null : action(type, f);
        if (type != null)
            f.finish(); // with an unknown type, which keys belong is anyone's guess: the type error says it
        if (id == null || action == null) return null;
        return new RunbookStep(
                id,
                title,
                type,
                target,
                timeout,
                attempts,
                backoff,
                when,
                whenAt,
                onFailure,
                confirm,
                action,
                node.position());
    }

    private RunbookStep.OnFailure onFailure(Fields f) {
        YamlNode n = f.node("on_failure");
        if (n == null) return RunbookStep.OnFailure.ABORT;
        if (n.isScalar() && (n.text().equals("abort") || n.text().equals("continue"))) {
            return n.text().equals("abort")
                    ? RunbookStep.OnFailure.ABORT
                    : new RunbookStep.OnFailure(RunbookStep.OnFailure.Kind.CONTINUE, null);
        }
        if (n.isMap() && n.entries().size() == 1) {
            Fields g = new Fields(n, where + ".on_failure", problems);
            String to = g.string("goto", null);
            String run = g.string("run", null);
            g.finish();
            if (to != null) return new RunbookStep.OnFailure(RunbookStep.OnFailure.Kind.GOTO, to);
            if (run != null) {
                if (!scope.runbooks().contains(run)) {
                    problems.add(
                            n.position(),
                            where + ".on_failure: no runbook '" + run + "'",
                            RunbookReader.hint(run, scope.runbooks()));
                }
                return new RunbookStep.OnFailure(RunbookStep.OnFailure.Kind.RUN, run);
            }
            return RunbookStep.OnFailure.ABORT;
        }
        problems.add(
                n.position(),
                where + ".on_failure: expected abort, continue, { goto: STEP } or { run: RUNBOOK }, got "
                        + n.describe());
        return RunbookStep.OnFailure.ABORT;
    }

    private RunbookStep.Action action(String type, Fields f) {
        return switch (type) {
            case "shell", "ssh" -> shell(type, f);
            case "http" -> http(f);
            case "sql" -> sql(f);
            case "check" -> new RunbookStep.CheckNow(check(f, true));
            case "wait" -> waitFor(f);
            case "approval" -> approval(f);
            case "notify" ->
                new RunbookStep.Notify(
                        f.requiredString("channel"), templated(f, "message", f.requiredString("message")));
            case "runbook" -> sub(f);
            case "sleep" -> {
                Duration d = f.has("duration") ? f.positiveDuration("duration", Duration.ofSeconds(1)) : null;
                if (d == null) problems.add(f.position(), where + ": missing required key 'duration'");
                yield d == null ? null : new RunbookStep.Sleep(d);
            }
            default -> null;
        };
    }

    private RunbookStep.Action shell(String type, Fields f) {
        String run = f.requiredString("run");
        if (run != null && RunbookReader.TEMPLATE.matcher(run).find()) {
            problems.add(
                    f.positionOf("run"),
                    where + ".run: templates are not allowed in a script",
                    "pass values as env: { NAME: \"{{params.x}}\" } and use \"$NAME\", or as args: and use \"$1\"");
        }
        Map<String, String> env = new LinkedHashMap<>();
        YamlNode envNode = f.node("env");
        f.stringMap("env").forEach((k, v) -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add(f.positionOf("env"), where + ".env: '" + k + "' is not a valid environment variable name");
            }
            YamlNode value = envNode.get(k);
            if (value.fromSecret()) secrets.add(v);
            env.put(k, templated(value, where + ".env." + k, v));
        });
        List<String> passEnv = RunbookReader.passEnv(f, where, problems);
        List<String> args = new ArrayList<>();
        for (YamlNode a : f.scalarList("args")) args.add(templated(a, where + ".args", a.text()));
        String workdir = f.string("workdir", null);
        List<Integer> expect = new ArrayList<>();
        for (YamlNode e : f.scalarList("expect_exit")) {
            try {
                int code = Integer.parseInt(e.text().trim());
                if (code < 0 || code > 255) throw new NumberFormatException();
                expect.add(code);
            } catch (NumberFormatException x) {
                problems.add(e.position(), where + ".expect_exit: \"" + e.text() + "\" is not an exit code (0-255)");
            }
        }
        if (expect.isEmpty()) expect.add(0);
        Map<String, RunbookStep.Extract> extract = extract(f);
        long maxOutput = f.size("max_output", RunbookReader.DEFAULT_MAX_OUTPUT);
        String host = null;
        if (type.equals("ssh")) {
            host = f.requiredString("host");
            if (host != null && !scope.hosts().contains(host)) {
                problems.add(
                        f.positionOf("host"),
                        where + ".host: no host '" + host + "' in inventory:",
                        RunbookReader.hint(host, scope.hosts()));
            }
        }
        return run == null
                ? null
                : new RunbookStep.Shell(
                        run, env, passEnv, args, workdir, List.copyOf(expect), extract, host, maxOutput);
    }

    private Map<String, RunbookStep.Extract> extract(Fields f) {
        YamlNode n = f.node("extract");
        Map<String, RunbookStep.Extract> out = new LinkedHashMap<>();
        if (n == null) return out;
        new Fields(n, where + ".extract", problems).names().forEach((k, v) -> {
            Fields e = new Fields(v, where + ".extract." + k.name(), problems);
            String regex = e.string("regex", null);
            String json = e.string("json", null);
            e.finish();
            if ((regex == null) == (json == null)) {
                problems.add(v.position(), where + ".extract." + k.name() + ": give either regex or json");
                return;
            }
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException x) {
                    problems.add(v.position(), where + ".extract." + k.name() + ".regex: " + x.getDescription());
                    return;
                }
            }
            if (json != null && !json.startsWith("$")) {
                problems.add(
                        v.position(),
                        where + ".extract." + k.name() + ".json: a JSON path starts with $, e.g. $.version");
                return;
            }
            out.put(k.name(), new RunbookStep.Extract(regex, json));
        });
        return out;
    }

    /** The http keys are the http check type's, read and validated by the probe layer. */
    private RunbookStep.Http http(Fields f) {
        for (String key : List.of(
                "url", "method", "headers", "body", "follow_redirects", "max_redirects", "max_body", "insecure")) {
            YamlNode v = f.node(key);
            if (v != null && v.isScalar()) templated(v, where + "." + key, v.text());
            if (v != null && v.isMap())
                v.entries().forEach((k, hv) -> {
                    if (hv.isScalar()) templated(hv, where + "." + key + "." + k.name(), hv.text());
                });
        }
        if (f.node("url") == null) problems.add(f.position(), where + ": missing required key 'url'");
        List<YamlNode> conditions = f.scalarList("conditions");
        return f.node("url") == null ? null : new RunbookStep.Http(node, conditions);
    }

    private RunbookStep.Action sql(Fields f) {
        String ds = f.requiredString("datasource");
        if (ds != null && !scope.datasources().contains(ds)) {
            problems.add(
                    f.positionOf("datasource"),
                    where + ".datasource: no datasource '" + ds + "'",
                    RunbookReader.hint(ds, scope.datasources()));
        }
        String query = f.requiredString("query");
        if (query != null && RunbookReader.TEMPLATE.matcher(query).find()) {
            problems.add(
                    f.positionOf("query"),
                    where + ".query: templates are not allowed in SQL",
                    "write ? placeholders and give the values as args:, which are bound, never spliced");
        }
        List<String> args = new ArrayList<>();
        for (YamlNode a : f.scalarList("args")) args.add(templated(a, where + ".args", a.text()));
        List<YamlNode> conditions = f.scalarList("conditions");
        return ds == null || query == null ? null : new RunbookStep.Sql(ds, query, args, conditions);
    }

    private String check(Fields f, boolean required) {
        String check = required ? f.requiredString("check") : f.string("check", null);
        if (check == null) return null;
        boolean known = scope.services().stream().anyMatch(s -> check.startsWith(s + "/"));
        if (!check.contains("/") || !known) {
            problems.add(
                    f.positionOf("check"),
                    where + ".check: no check '" + check + "'",
                    "name a configured check as service/check");
        }
        return check;
    }

    private RunbookStep.Action waitFor(Fields f) {
        String check = check(f, false);
        Duration interval = f.positiveDuration("interval", Duration.ofSeconds(5));
        RunbookStep.Http http = null;
        if (f.node("url") != null) {
            http = http(f);
        } else {
            f.node("conditions"); // only with url:
        }
        if ((check == null) == (http == null)) {
            problems.add(f.position(), where + ": a wait step needs either check: or url: (with conditions:)");
            return null;
        }
        return new RunbookStep.Wait(check, http, interval);
    }

    private RunbookStep.Action approval(Fields f) {
        String role = f.oneOf("role", "operator", Set.of("responder", "operator", "admin"));
        boolean fourEyes = f.bool("four_eyes", false);
        String prompt = f.string("prompt", "Approve to continue");
        return new RunbookStep.Approval(role, fourEyes, prompt);
    }

    private RunbookStep.Action sub(Fields f) {
        String runbook = f.requiredString("runbook");
        if (runbook != null && !scope.runbooks().contains(runbook)) {
            problems.add(
                    f.positionOf("runbook"),
                    where + ".runbook: no runbook '" + runbook + "'",
                    RunbookReader.hint(runbook, scope.runbooks()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        YamlNode pn = f.node("params");
        f.stringMap("params").forEach((k, v) -> values.put(k, templated(pn.get(k), where + ".params." + k, v)));
        return runbook == null ? null : new RunbookStep.Sub(runbook, values);
    }

    private String templated(Fields f, String key, String text) {
        YamlNode n = f.node(key);
        return n == null ? text : templated(n, where + "." + key, text);
    }

    /** Checks that each template names a declared parameter or an earlier step; returns the text unchanged. */
    private String templated(YamlNode at, String field, String text) {
        if (text == null) return null;
        for (String expr : RunbookReader.templates(text)) {
            String[] parts = expr.split("\\.");
            if (parts.length == 2 && parts[0].equals("params")) {
                if (!scope.params().contains(parts[1])) {
                    problems.add(
                            at.position(),
                            field + ": {{" + expr + "}} names no parameter of this runbook",
                            RunbookReader.hint(parts[1], scope.params()));
                }
            } else if (parts.length == 3 && parts[0].equals("steps")) {
                if (!scope.earlier().contains(parts[1])) {
                    problems.add(
                            at.position(),
                            field + ": {{" + expr + "}} names no earlier step",
                            scope.siblings().contains(parts[1])
                                    ? "a step can use only the results of steps before it"
                                    : null);
                }
            } else {
                problems.add(
                        at.position(),
                        field + ": unknown template {{" + expr + "}}",
                        "write {{params.NAME}} or {{steps.STEP.VALUE}}");
            }
        }
        return text;
    }
}
