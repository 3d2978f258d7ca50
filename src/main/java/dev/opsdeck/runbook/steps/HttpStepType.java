package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.RunbookProbes;
import java.time.Duration;
import java.util.List;

/** {@code http}: one request, judged as an http check with the step's conditions. */
final class HttpStepType implements StepType {
    /** The request keys, which are the http check type's; templates may appear in their values. */
    private static final List<String> REQUEST_KEYS =
            List.of("url", "method", "headers", "body", "follow_redirects", "max_redirects", "max_body", "insecure");

    /** The request and assertions, read by the http check type ({@code spec} holds its keys). */
    record Http(YamlNode spec, List<YamlNode> conditions) implements StepSettings {
        @Override
        public String toString() {
            return "Http" + spec.canonical();
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        Http http = read(step, f, reading);
        f.finish();
        return http;
    }

    /** The request keys of an {@code http} step or a {@code wait} on a URL, validated as an http check's. */
    static Http read(RunbookStep step, Fields f, StepReading reading) {
        String where = reading.where();
        for (String key : REQUEST_KEYS) {
            YamlNode v = f.node(key);
            if (v != null && v.isScalar()) reading.templated(v, where + "." + key, v.text());
            if (v != null && v.isMap())
                v.entries().forEach((k, hv) -> {
                    if (hv.isScalar()) reading.templated(hv, where + "." + key + "." + k.name(), hv.text());
                });
        }
        if (f.node("url") == null) reading.problems().add(f.position(), where + ": missing required key 'url'");
        List<YamlNode> conditions = f.scalarList("conditions");
        if (f.node("url") == null) return null;
        Http http = new Http(step.node(), conditions);
        validate(step, http, reading);
        return http;
    }

    private static void validate(RunbookStep step, Http http, StepReading reading) {
        if (http.spec().canonical().contains("{{")) {
            // filled in at run time; the conditions can still be checked now
            RunbookProbes.parse(
                    http.conditions(), reading.checkTypes().get("http").placeholders(), reading.problems());
            return;
        }
        CompiledCheck c = RunbookProbes.http(
                reading.checkTypes(),
                reading.runbook().id(),
                step,
                http.spec(),
                http.conditions(),
                step.timeout(),
                reading.problems());
        if (c != null) c.close();
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout) {
        return request(step, (Http) settings, run, timeout);
    }

    /** The request with its templates filled in, as a check made for this one call. */
    static StepResult request(RunbookStep step, Http http, StepContext run, Duration timeout) {
        Problems problems = new Problems();
        CompiledCheck check = RunbookProbes.http(
                run.checkTypes(),
                run.runbookId(),
                step,
                StepTemplates.render(http.spec(), run.values()),
                http.conditions(),
                timeout,
                problems);
        if (check == null || !problems.isEmpty()) {
            return StepResult.failed("bad request settings: "
                    + problems.sorted().stream().map(p -> p.message()).toList());
        }
        try {
            return CheckStepType.judged(check.run());
        } finally {
            check.close();
        }
    }
}
