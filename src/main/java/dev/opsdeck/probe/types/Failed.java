package dev.opsdeck.probe.types;

/**
 * A probe failure whose message is already what the on-call engineer should read
 * ("redirect loop at ...", "query failed: ..."). Probes turn it into a failed observation;
 * it carries no stack trace because nobody will ever look at one.
 */
final class Failed extends Exception {
    Failed(String message) {
        super(message, null, false, false);
    }
}
