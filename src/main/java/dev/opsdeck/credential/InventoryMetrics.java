package dev.opsdeck.credential;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code opsdeck_credential_age_days{credential}}, {@code opsdeck_credential_overdue{credential}} (1 or 0) and
 * {@code opsdeck_certificate_expiry_days{name}} (days until the certificate expires, negative once it has). A
 * name no longer in the inventory reads NaN.
 */
public final class InventoryMetrics {
    private final MeterRegistry registry;
    private final Map<String, double[]> credentials = new ConcurrentHashMap<>(); // age days, overdue
    private final Map<String, double[]> certificates = new ConcurrentHashMap<>();

    public InventoryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void credentials(List<Credential> list, Instant now) {
        credentials.values().forEach(v -> v[0] = v[1] = Double.NaN);
        for (Credential c : list) {
            double[] v = credentials.computeIfAbsent(c.name(), name -> {
                double[] fresh = {Double.NaN, Double.NaN};
                if (registry == null) return fresh;
                Gauge.builder("opsdeck.credential.age_days", fresh, a -> a[0])
                        .tag("credential", name)
                        .description("Days since the credential last changed")
                        .register(registry);
                Gauge.builder("opsdeck.credential.overdue", fresh, a -> a[1])
                        .tag("credential", name)
                        .description("1 when the credential is older than its rotation cadence")
                        .register(registry);
                return fresh;
            });
            Long age = c.ageDays(now);
            v[0] = age == null ? Double.NaN : age;
            v[1] = c.overdue() ? 1 : 0;
        }
    }

    void certificates(List<Certificate> list) {
        certificates.values().forEach(v -> v[0] = Double.NaN);
        for (Certificate c : list) {
            if (c.notAfter() == null) continue;
            double[] v = certificates.computeIfAbsent(c.id(), id -> {
                double[] fresh = {Double.NaN};
                if (registry == null) return fresh;
                Gauge.builder("opsdeck.certificate.expiry_days", fresh, a -> a[0])
                        .tag("name", id)
                        .description("Days until the certificate expires (negative: expired)")
                        .register(registry);
                return fresh;
            });
            v[0] = c.daysLeft();
        }
    }
}
