package dev.opsdeck.alert;

/** Where alert state changes go: the incident manager. Must not block for long; called from engine threads. */
public interface AlertSink {
    void accept(AlertEvent event);
}
