package dev.opsdeck.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One executable runbook as written under {@code runbooks:}; {@code env} and {@code passEnv} are what its shell and
 * ssh steps run with besides their own. {@code hash} identifies the definition a run
 * used, so a run's record says which version of the runbook it followed.
 */
public record RunbookDef(
        String id,
        String title,
        String description,
        List<String> services,
        List<String> alerts,
        boolean responderSafe,
        Duration timeout,
        Duration target,
        Concurrency concurrency,
        List<RunbookParam> params,
        Map<String, String> env,
        List<String> passEnv,
        List<RunbookStep> steps,
        List<RunbookStep> rollback,
        String hash,
        Position position) {

    /** Whether runs may overlap; when not, whether a new run waits its turn or is refused. */
    public record Concurrency(boolean parallel, boolean queue) {
        public static final Concurrency DEFAULT = new Concurrency(false, false);
    }

    public Optional<RunbookParam> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<RunbookStep> step(String stepId) {
        return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
    }
}
