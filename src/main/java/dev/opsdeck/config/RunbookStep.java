package dev.opsdeck.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One step of a runbook: what every step shares (target, timeout, retries, {@code when}, {@code on_failure}), its
 * {@code node} as written, whose other keys its type reads, the names it may refer to ({@code scope}) and its place
 * in messages ({@code where}, e.g. {@code runbooks.restart.steps[0]}).
 */
public record RunbookStep(
        String id,
        String title,
        String type,
        Duration target,
        Duration timeout,
        int attempts,
        Duration backoff,
        String when,
        Position whenPosition,
        OnFailure onFailure,
        boolean confirm,
        YamlNode node,
        StepScope scope,
        String where,
        Position position) {

    /**
     * The step types, in the order messages list them; each reads its keys and runs through its class in the runbook
     * step table. Named here too because the loader reports an unknown type, and that table sits above config (it
     * reads config), so config cannot ask it without a package cycle.
     */
    public static final Set<String> TYPES = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(
            List.of("shell", "ssh", "http", "sql", "check", "wait", "approval", "notify", "runbook", "sleep")));

    /** Keys every step may have, whatever its type. */
    public static final List<String> COMMON_KEYS =
            List.of("id", "title", "type", "target", "timeout", "retries", "when", "on_failure", "confirm");

    /**
     * The step's keys for its type to read, with the common ones marked as read in the order the loader reads them
     * (an unknown key's hint lists the known ones in that order).
     */
    public Fields typeKeys(Problems problems) {
        Fields f = new Fields(node, where, problems);
        List.of("id", "type", "title", "target", "timeout", "retries", "when", "on_failure", "confirm")
                .forEach(f::node);
        return f;
    }

    /** What happens when the step fails for good: abort (the default), continue, goto a later step, run a runbook. */
    public record OnFailure(Kind kind, String ref) {
        public enum Kind {
            ABORT,
            CONTINUE,
            GOTO,
            RUN
        }

        public static final OnFailure ABORT = new OnFailure(Kind.ABORT, null);
    }
}
