package dev.opsdeck.deploy;

import dev.opsdeck.config.DeployDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gate's and the bake's probes: a check of the service, run as configured, and the conditions the deploy adds,
 * judged on the same observation. {@code {{version}}} in an added condition is the version being deployed, so a
 * gate can insist that the new version is the one answering.
 */
public final class DeployProbes {
    static final String VERSION = "{{version}}";

    private DeployProbes() {}

    /** A probe ready to run: the check and the added conditions with the version filled in. */
    record Ready(String name, CompiledCheck check, List<Condition> added) {}

    /** One sample: whether it passed, why not, and the response body when it failed. */
    record Sample(String name, boolean passed, String detail, String body) {}

    /** Parses every added condition against its check's type (with a stand-in version), at configuration load. */
    public static void validate(OpsdeckConfig config, CheckTypes types, Problems problems) {
        for (ServiceDef s : config.services()) {
            if (s.deploy() == null) continue;
            List<DeployDef.Probe> all = new ArrayList<>(s.deploy().gate().checks());
            all.addAll(s.deploy().bake().analysis());
            for (DeployDef.Probe p : all) {
                CheckType type = type(s, p, types);
                if (type == null) continue;
                for (YamlNode n : p.conditions()) {
                    try {
                        ConditionParser.parse(n.text().replace(VERSION, "0"), type.placeholders());
                    } catch (ConditionSyntaxException e) {
                        problems.add(n.position(), "bad condition: " + e.getMessage(), e.hint());
                    }
                }
            }
        }
    }

    static Ready prepare(ServiceDef service, DeployDef.Probe p, String version, CompiledCheck check, CheckTypes types) {
        if (check == null) {
            throw new DeployRefused(
                    DeployRefused.Reason.INVALID,
                    "check " + p.checkId(service.name()) + " is not running (disabled or not compiled)");
        }
        CheckType type = type(service, p, types);
        List<Condition> added = new ArrayList<>();
        for (YamlNode n : p.conditions()) {
            try {
                added.add(ConditionParser.parse(n.text().replace(VERSION, version), type.placeholders()));
            } catch (ConditionSyntaxException e) {
                // validated at load with a stand-in: only a version that breaks the syntax gets here
                throw new DeployRefused(
                        DeployRefused.Reason.INVALID,
                        "condition '" + n.text() + "' with version " + version + ": " + e.getMessage());
            }
        }
        return new Ready(p.checkId(service.name()), check, added);
    }

    /**
     * Probes once. The check's own timeout bounds the probe; a target that does not answer even then (a probe that
     * ignores interruption) is judged failed one second later, its thread left to end on its own.
     */
    static Sample run(Ready r) {
        AtomicReference<Observation> seen = new AtomicReference<>();
        FutureTask<CheckResult> task = new FutureTask<>(() -> r.check().run(seen::set));
        Thread.ofVirtual().name("deploy-probe").start(task);
        long limit = r.check().definition().timeout().toMillis() + 1000;
        CheckResult result;
        try {
            result = task.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Sample(
                    r.name(),
                    false,
                    "no answer within " + Units.format(r.check().definition().timeout()),
                    null);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return new Sample(r.name(), false, "interrupted", null);
        } catch (ExecutionException e) {
            return new Sample(r.name(), false, "probe error: " + e.getCause(), null);
        }
        List<String> failed = new ArrayList<>();
        if (result.status() == Status.DOWN) failed.add(result.message());
        Observation o = seen.get();
        if (o != null && o.failure() == null) {
            for (Condition c : r.added()) {
                Condition.Outcome out = c.evaluate(o);
                if (!out.holds()) failed.add(out.message());
            }
        }
        if (failed.isEmpty()) {
            return new Sample(r.name(), true, "up in " + result.latencyMillis() + "ms", null);
        }
        Object body = o == null ? null : o.get("BODY");
        return new Sample(r.name(), false, String.join("; ", failed), body == null ? null : String.valueOf(body));
    }

    private static CheckType type(ServiceDef s, DeployDef.Probe p, CheckTypes types) {
        return s.checks().stream()
                .filter(c -> c.name().equals(p.check()))
                .findFirst()
                .map(c -> types.get(c.type()))
                .orElse(null);
    }
}
