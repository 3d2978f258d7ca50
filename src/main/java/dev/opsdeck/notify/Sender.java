package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;

/** Sends one attempt of one message to one channel type. Returns only when the receiver acknowledged it. */
interface Sender {
    void send(ChannelDef channel, Delivery delivery, MessageTemplates.Message message)
            throws DeliveryFailure, InterruptedException;
}
