package dev.opsdeck.notify;

import java.time.Duration;
import java.util.Map;

/** How one configured channel sends, built by its {@link ChannelType} from the channel's own settings. */
interface Sender {
    /**
     * Sends one attempt of one message, within {@code timeout}; returns only when the receiver acknowledged it.
     * Throws {@link DeliveryFailure#permanent} when the receiver refused the message itself.
     */
    void send(Delivery delivery, MessageTemplates.Message message, Duration timeout, Transport transport)
            throws DeliveryFailure, InterruptedException;

    /** Where messages go, for the API, without secrets: {@code target}, {@code signed}, {@code headers} (names). */
    Map<String, Object> describe();
}
