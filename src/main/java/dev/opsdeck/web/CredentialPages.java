package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.credential.Certificate;
import dev.opsdeck.credential.CertificateInventory;
import dev.opsdeck.credential.Credential;
import dev.opsdeck.credential.Credentials;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code /credentials}: the credential and certificate inventory, what needs action first. Read-only: a refresh or
 * a rotation is started from the CLI or the API.
 */
public final class CredentialPages {
    /** One credential as a row. */
    public record CredentialRow(
            String name,
            String owner,
            String purpose,
            String state,
            String pill,
            String age,
            String due,
            String note) {}

    /** One certificate as a row. */
    public record CertificateRow(
            String subject,
            String usedBy,
            String issuer,
            String expires,
            String days,
            String state,
            String pill,
            String note) {}

    public record CredentialsPage(
            Viewer viewer,
            String css,
            String icon,
            List<CredentialRow> credentials,
            List<CertificateRow> certificates,
            String refreshed) {}

    private final Credentials credentials;
    private final CertificateInventory certificates;
    private final Clock clock;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    public CredentialPages(
            Credentials credentials, CertificateInventory certificates, Clock clock, Assets.Urls assets) {
        this.credentials = credentials;
        this.certificates = certificates;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig config, Nav nav) {
        nav.add("Credentials", "/credentials", READ, 90);
        new SecuredRoutes(config).get("/credentials", READ, this::show);
    }

    private void show(Context ctx) {
        Instant now = clock.instant();
        List<CredentialRow> creds =
                credentials.list().stream().map(c -> row(c, now)).toList();
        List<CertificateRow> certs =
                certificates.list().stream().map(CredentialPages::row).toList();
        long at = certificates.refreshedMs();
        String refreshed =
                at == 0 ? "not yet" : Instant.ofEpochMilli(at) + " (" + Format.ago(at, now.toEpochMilli()) + ")";
        Dashboard.html(
                ctx,
                200,
                templates.render(
                        "credentials.jte",
                        new CredentialsPage(Viewer.of(ctx), assets.css(), assets.icon(), creds, certs, refreshed)));
    }

    private static CredentialRow row(Credential c, Instant now) {
        Long age = c.ageDays(now);
        String note = c.message() == null ? "" : c.message();
        if (c.previousValidUntil() != null) note = "previous value valid until " + c.previousValidUntil();
        return new CredentialRow(
                c.name(),
                c.def().owner(),
                c.def().purpose(),
                c.state(),
                c.state().equals(Credential.OK) ? "pill-up" : c.overdue() ? "pill-degraded" : "pill-down",
                age == null ? "" : age + " d",
                c.dueAt() == null ? "" : c.dueAt().toString(),
                note);
    }

    private static CertificateRow row(Certificate c) {
        String pill = switch (c.state()) {
            case Certificate.OK -> c.problems().isEmpty() ? "pill-up" : "pill-degraded";
            case Certificate.EXPIRING -> "pill-degraded";
            default -> "pill-down";
        };
        String note = c.error() != null ? c.error() : String.join("; ", c.problems());
        return new CertificateRow(
                c.subject() == null ? c.source() : c.subject(),
                c.usedBy(),
                c.issuer() == null ? "" : c.issuer(),
                c.notAfter() == null ? "" : c.notAfter().toString(),
                c.notAfter() == null ? "" : Long.toString(c.daysLeft()),
                c.state(),
                pill,
                note);
    }
}
