package dev.opsdeck.api;

import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookParam;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.runbook.StepRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON shapes of runbooks and of a run's metrics table (each step's target against its actual time). */
final class RunViews {
    private RunViews() {}

    static Map<String, Object> entry(Runbooks.Entry e) {
        RunbookDef d = e.def();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("title", d.title());
        v.put("services", d.services());
        v.put("alerts", d.alerts());
        v.put("responder_safe", d.responderSafe());
        v.put("target_ms", d.target() == null ? null : d.target().toMillis());
        v.put("steps", d.steps().size());
        v.put(
                "last_success_at",
                e.lastSuccessMs() == null
                        ? null
                        : Instant.ofEpochMilli(e.lastSuccessMs()).toString());
        v.put("untested", e.untested());
        v.put("definition_hash", d.hash());
        return v;
    }

    static Map<String, Object> definition(Runbooks.Entry e) {
        RunbookDef d = e.def();
        Map<String, Object> v = entry(e);
        v.put("description", d.description());
        v.put("timeout_ms", d.timeout().toMillis());
        v.put(
                "concurrency",
                Map.of(
                        "mode",
                        d.concurrency().parallel() ? "parallel" : "one_at_a_time",
                        "when_busy",
                        d.concurrency().queue() ? "queue" : "reject"));
        List<Map<String, Object>> params = new ArrayList<>();
        for (RunbookParam p : d.params()) {
            Map<String, Object> pv = new LinkedHashMap<>();
            pv.put("name", p.name());
            pv.put("type", p.type().label());
            pv.put("required", p.required());
            pv.put("default", p.secret() ? null : p.defaultValue());
            pv.put("pattern", p.pattern());
            pv.put("allowed", p.allowed());
            pv.put("secret", p.secret());
            pv.put("description", p.description());
            params.add(pv);
        }
        v.put("params", params);
        v.put("steps", d.steps().stream().map(RunViews::step).toList());
        v.put("rollback", d.rollback().stream().map(RunViews::step).toList());
        return v;
    }

    private static Map<String, Object> step(RunbookStep s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.id());
        v.put("title", s.title());
        v.put("type", s.type());
        v.put("target_ms", s.target() == null ? null : s.target().toMillis());
        v.put("timeout_ms", s.timeout().toMillis());
        v.put("confirm", s.confirm());
        v.put("when", s.when());
        return v;
    }

    /** The seed runbooks' metrics table, filled in: per step target vs actual, and the total vs the runbook's RTO. */
    static Map<String, Object> metrics(Run run, List<StepRun> steps, RunbookDef def) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StepRun s : steps) {
            if (s.status() == StepRun.Status.SKIPPED) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", s.stepId());
            r.put("target_ms", s.targetMs());
            r.put("actual_ms", s.durationMs());
            r.put("status", s.statusText());
            r.put("met", s.met());
            rows.add(r);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("steps", rows);
        Long total = run.durationMs();
        v.put("total_ms", total);
        v.put("rto_ms", run.targetMs());
        v.put("rto_met", run.rtoMet());
        v.put("definition_changed", def != null && !def.hash().equals(run.definitionHash()));
        return v;
    }
}
