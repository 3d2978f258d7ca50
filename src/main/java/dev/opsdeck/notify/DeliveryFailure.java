package dev.opsdeck.notify;

/** One attempt did not reach an acknowledging receiver; the message says why, for the notification log. */
final class DeliveryFailure extends Exception {
    DeliveryFailure(String message) {
        super(message);
    }
}
