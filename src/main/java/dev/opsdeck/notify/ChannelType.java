package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Fields;

/**
 * One kind of notification channel ({@code webhook}, {@code slack}, ...). Adding a kind means one new class
 * registered in {@link ChannelTypes} and its section in docs/notifications.md; nothing else changes.
 */
interface ChannelType {
    String name();

    /**
     * Reads the type's own keys from {@code settings} (reporting problems there; the caller calls finish() to
     * catch unknown keys) and returns how the channel sends.
     */
    Sender configure(ChannelDef channel, Fields settings);
}
