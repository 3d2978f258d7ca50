package dev.opsdeck.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a runbook: what every step shares (target, timeout, retries, {@code when}, {@code on_failure})
 * and its {@link Action}. Templates ({@code {{params.x}}}, {@code {{steps.id.name}}}) are kept as written;
 * the engine fills them in at run time, only where data is expected (env values, args, URLs, headers, bodies).
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
        Action action,
        Position position) {

    /** The step types, in the order messages list them; each runs through its class in the runbook step table. */
    public static final Set<String> TYPES = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(
            List.of("shell", "ssh", "http", "sql", "check", "wait", "approval", "notify", "runbook", "sleep")));

    /** Keys every step may have, whatever its type. */
    public static final List<String> COMMON_KEYS =
            List.of("id", "title", "type", "target", "timeout", "retries", "when", "on_failure", "confirm");

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

    /** How a value is taken from a step's output: a regex's first group, or a JSON path such as {@code $.a.b[0]}. */
    public record Extract(String regex, String json) {}

    /** What a step does. */
    public sealed interface Action {}

    /**
     * {@code shell} (host null: local) and {@code ssh} (host: an inventory entry): a /bin/sh script. {@code env} and
     * {@code passEnv} include the runbook's own (the step's {@code env} wins); {@code passEnv} names variables of the
     * Opsdeck process the command may see, which it otherwise never does.
     */
    public record Shell(
            String run,
            Map<String, String> env,
            List<String> passEnv,
            List<String> args,
            String workdir,
            List<Integer> expectExit,
            Map<String, Extract> extract,
            String host,
            long maxOutput)
            implements Action {}

    /** {@code http}: the request and assertions, read by the http check type ({@code spec} holds its keys). */
    public record Http(YamlNode spec, List<YamlNode> conditions) implements Action {
        @Override
        public String toString() {
            return "Http" + spec.canonical();
        }
    }

    /** {@code sql}: a query on a datasource, its {@code args} bound as parameters, never spliced. */
    public record Sql(String datasource, String query, List<String> args, List<YamlNode> conditions) implements Action {
        @Override
        public String toString() {
            return "Sql[" + datasource + ", " + query + ", " + args + ", "
                    + conditions.stream().map(YamlNode::text).toList() + "]";
        }
    }

    /** {@code check}: run a configured check ({@code service/check}) now. */
    public record CheckNow(String check) implements Action {}

    /** {@code wait}: poll a configured check, or a URL with conditions, until it holds or the timeout passes. */
    public record Wait(String check, Http http, Duration interval) implements Action {}

    /** {@code approval}: pause until a person with {@code role} approves or rejects. */
    public record Approval(String role, boolean fourEyes, String prompt) implements Action {}

    /** {@code notify}: post {@code message} to a configured channel. */
    public record Notify(String channel, String message) implements Action {}

    /** {@code runbook}: run another runbook with parameters, as part of this run. */
    public record Sub(String runbook, Map<String, String> params) implements Action {}

    /** {@code sleep}: wait a fixed time. */
    public record Sleep(Duration duration) implements Action {}
}
