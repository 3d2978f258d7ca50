package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the incident page words where an escalation stands. */
class EscalationWordsTest {
    private static Map<String, Object> state(String state, String nextAt, int passes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", "critical");
        m.put("state", state);
        m.put("next_step", 2);
        m.put("pass", 1);
        m.put("passes", passes);
        m.put("next_at", nextAt);
        m.put("steps", 3);
        return m;
    }

    @Test
    void eachStateInWords() {
        assertThat(IncidentModels.escalation(state("running", "2026-03-01T10:15:00Z", 1)))
                .isEqualTo("critical: step 2 of 3 due "
                        + Format.utc(Instant.parse("2026-03-01T10:15:00Z").toEpochMilli()));
        assertThat(IncidentModels.escalation(state("running", "2026-03-01T10:15:00Z", 2)))
                .endsWith(" (pass 1 of 2)");
        assertThat(IncidentModels.escalation(state("paused", null, 1)))
                .isEqualTo("critical: paused (acknowledged); resumes if not resolved within the ack timeout");
        assertThat(IncidentModels.escalation(state("done", null, 1))).isEqualTo("critical: every step has run");
        assertThat(IncidentModels.escalation(state("stopped", null, 1))).isEqualTo("critical: stopped (resolved)");
    }
}
