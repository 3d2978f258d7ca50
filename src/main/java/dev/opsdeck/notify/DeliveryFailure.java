package dev.opsdeck.notify;

/**
 * One attempt did not reach an acknowledging receiver; the message says why, for the notification log. Most
 * failures are worth another attempt (a receiver that is down, slow or busy); a permanent one is the receiver
 * refusing this very message, which no retry changes, so the message fails at once.
 */
final class DeliveryFailure extends Exception {
    private final boolean permanent;

    DeliveryFailure(String message) {
        this(message, false);
    }

    private DeliveryFailure(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    /** A refusal no retry changes: the message is marked failed after this attempt. */
    static DeliveryFailure permanent(String reason) {
        return new DeliveryFailure(reason + " (permanent: not retried)", true);
    }

    boolean permanent() {
        return permanent;
    }
}
