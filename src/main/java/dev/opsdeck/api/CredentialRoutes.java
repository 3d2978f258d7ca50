package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.credential.Certificate;
import dev.opsdeck.credential.CertificateInventory;
import dev.opsdeck.credential.Credential;
import dev.opsdeck.credential.Credentials;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/credentials} and {@code /api/v1/certificates}: the inventory sorted by what needs action first,
 * one entry, and a refresh on demand (operate, audited as {@code credential.refresh} and
 * {@code certificate.refresh}). No answer holds a secret or a fingerprint.
 */
public final class CredentialRoutes {
    private final Credentials credentials;
    private final CertificateInventory certificates;
    private final AuditLog audit;
    private final Clock clock;

    public CredentialRoutes(Credentials credentials, CertificateInventory certificates, AuditLog audit, Clock clock) {
        this.credentials = credentials;
        this.certificates = certificates;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        ProblemHandlers.notFound(config, Credentials.UnknownCredential.class);
        ProblemHandlers.notFound(config, CertificateInventory.UnknownCertificate.class);
        new SecuredRoutes(config)
                .get("/api/v1/credentials", READ, ctx -> ctx.json(credentialList(credentials.list())))
                .get("/api/v1/credentials/{name}", READ, this::credential)
                .post("/api/v1/credentials/refresh", OPERATE, this::refreshCredentials)
                .get("/api/v1/certificates", READ, this::certificates)
                .post("/api/v1/certificates/refresh", OPERATE, this::refreshCertificates);
    }

    private Map<String, Object> credentialList(List<Credential> list) {
        Instant now = clock.instant();
        return Map.of("credentials", list.stream().map(c -> c.view(now)).toList());
    }

    private Map<String, Object> certificateList(List<Certificate> list) {
        long at = certificates.refreshedMs();
        return Map.of(
                "refreshed_at",
                at == 0 ? "never" : Instant.ofEpochMilli(at).toString(),
                "certificates",
                list.stream().map(Certificate::view).toList());
    }

    private void credential(Context ctx) {
        ctx.json(credentials.get(ctx.pathParam("name")).view(clock.instant()));
    }

    /** All, or with {@code ?source=NAME} those of one source (a check's source is {@code check:SERVICE/CHECK}). */
    private void certificates(Context ctx) {
        String source = ctx.queryParam("source");
        if (source == null) {
            ctx.json(certificateList(certificates.list()));
            return;
        }
        List<Certificate> of = certificates.list().stream()
                .filter(c -> c.source().equals(source))
                .toList();
        if (of.isEmpty()) throw new CertificateInventory.UnknownCertificate(source);
        ctx.json(certificateList(of));
    }

    private void refreshCredentials(Context ctx) {
        List<Credential> list = credentials.refresh();
        record(ctx, "credential.refresh", "credentials", list.size());
        ctx.json(credentialList(list));
    }

    private void refreshCertificates(Context ctx) {
        List<Certificate> list = certificates.refresh();
        record(ctx, "certificate.refresh", "certificates", list.size());
        ctx.json(certificateList(list));
    }

    private void record(Context ctx, String action, String target, int count) {
        audit.record(
                Requests.principal(ctx).actor(),
                Requests.client(ctx),
                action,
                target,
                AuditLog.OK,
                Map.of("count", count));
    }
}
