package dev.opsdeck.silence;

/** A silence that cannot be created as asked; the message names the field and what is wrong with it. */
public final class InvalidSilence extends RuntimeException {
    public InvalidSilence(String message) {
        super(message);
    }
}
