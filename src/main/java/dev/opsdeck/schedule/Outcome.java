package dev.opsdeck.schedule;

/** How one run of a target ended: ok or not, what it links to (backup id, run id, drill run, check), and why. */
public record Outcome(boolean ok, String ref, String message) {
    public static Outcome failed(String message) {
        return new Outcome(false, null, message);
    }
}
