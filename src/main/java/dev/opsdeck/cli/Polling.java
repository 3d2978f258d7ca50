package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.Predicate;

/** Waiting for the server to finish something (a backup, a job, a drill, a scheduled run) by asking once a second. */
final class Polling {
    private Polling() {}

    /** Shows where the wait stands; {@code polls} counts the questions asked so far. */
    interface Progress {
        void show(JsonNode state, long polls);
    }

    interface Fetch {
        /** The state now, or null when the server no longer knows it (the wait ends with the last one seen). */
        JsonNode next(JsonNode state) throws Exception;
    }

    static final Progress QUIET = (state, polls) -> {};

    /** The answer's {@code status} is one of {@code busy}. */
    static Predicate<JsonNode> status(String... busy) {
        Set<String> states = Set.of(busy);
        return state -> states.contains(state.path("status").asText());
    }

    /** Fetches {@code state} again every second while it is {@code busy}; returns the first state that is not. */
    static JsonNode whileBusy(JsonNode state, Predicate<JsonNode> busy, Progress progress, Fetch fetch)
            throws Exception {
        long polls = 0;
        while (busy.test(state)) {
            progress.show(state, polls++);
            Thread.sleep(1_000);
            JsonNode next = fetch.next(state);
            if (next == null) break;
            state = next;
        }
        return state;
    }
}
