package dev.opsdeck.doctor;

/**
 * One item of the production checklist, checked. {@code id} is stable kebab-case (scripts match on it);
 * {@code detail} says what was found, never a secret's value; {@code fix} is the YAML to write or the
 * command to run, null when there is nothing to do.
 */
public record Finding(String id, String title, Outcome outcome, String detail, String fix) {
    /** FAIL blocks the production profile; WARN is advice and never blocks. */
    public enum Outcome {
        PASS,
        FAIL,
        WARN
    }

    static Finding pass(String id, String title, String detail) {
        return new Finding(id, title, Outcome.PASS, detail, null);
    }

    static Finding fail(String id, String title, String detail, String fix) {
        return new Finding(id, title, Outcome.FAIL, detail, fix);
    }

    static Finding warn(String id, String title, String detail, String fix) {
        return new Finding(id, title, Outcome.WARN, detail, fix);
    }

    /** The line the production profile prints when it refuses to start because of this finding. */
    public String refusal() {
        return "production profile: " + title + ": " + detail + (fix == null ? "" : " — fix: " + fix);
    }
}
