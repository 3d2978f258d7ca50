package dev.opsdeck.alert;

/**
 * Where silences (and, next, maintenance windows) plug in: asked once when an alert fires whether it must be
 * recorded without paging. It never stops an alert from being raised or resolved, only from paging.
 */
@FunctionalInterface
public interface Suppression {
    Suppression NONE = (service, name, severity, labels) -> false;

    boolean suppressed(String service, String name, AlertEvent.Severity severity, java.util.Map<String, String> labels);
}
