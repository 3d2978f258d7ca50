package dev.opsdeck.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A sink that only logs: what alerts go to when nothing else listens (and in tools that run no incidents). */
public final class LoggingSink implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSink.class);

    @Override
    public void accept(AlertEvent e) {
        LOG.info("event=alert state={} name=\"{}\" severity={} service={} suppressed={} root_cause={} fingerprint={}",
                e.state(), e.name(), e.severity(), e.service(), e.suppressed(), e.rootCause(), e.fingerprint());
    }
}
