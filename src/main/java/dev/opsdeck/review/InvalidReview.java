package dev.opsdeck.review;

/** A review change that cannot be made; the message names the field and says what is wrong. */
public final class InvalidReview extends RuntimeException {
    private final boolean conflict;

    private InvalidReview(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    /** Bad input: the request is wrong whatever the state. */
    static InvalidReview field(String message) {
        return new InvalidReview(message, false);
    }

    /** The incident or review is not in a state that allows the change (e.g. not resolved yet). */
    static InvalidReview state(String message) {
        return new InvalidReview(message, true);
    }

    public boolean conflict() {
        return conflict;
    }
}
