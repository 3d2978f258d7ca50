package dev.opsdeck.credential;

import dev.opsdeck.config.CertificateDef;
import dev.opsdeck.probe.types.Certificates;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns one chain read from a source into inventory rows: one per certificate, with what is wrong in the chain. */
final class Judging {
    private Judging() {}

    static List<Certificate> rows(CertificateDef def, CertificateReader.Chain chain, long nowMs, int warnDays) {
        String place = chain.slot().isEmpty() ? def.where() : def.where() + " (" + chain.slot() + ")";
        String usedBy =
                def.kind().equals("check") ? "check " + def.name().substring("check:".length()) + ", " + place : place;
        String base = def.name() + "|" + chain.slot();
        if (chain.error() != null) {
            return List.of(new Certificate(
                    base + "#error",
                    def.name(),
                    def.kind(),
                    usedBy,
                    null,
                    null,
                    List.of(),
                    null,
                    null,
                    null,
                    null,
                    0,
                    Certificate.ERROR,
                    List.of(),
                    chain.error()));
        }
        Instant now = Instant.ofEpochMilli(nowMs);
        List<X509Certificate> certs = chain.certificates();
        List<String> problems = chainProblems(certs, now);
        List<Certificate> out = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate x = certs.get(i);
            Instant notAfter = x.getNotAfter().toInstant();
            Instant notBefore = x.getNotBefore().toInstant();
            long days = Math.floorDiv(notAfter.getEpochSecond() - now.getEpochSecond(), 86_400L);
            String state = now.isAfter(notAfter)
                    ? Certificate.EXPIRED
                    : now.isBefore(notBefore)
                            ? Certificate.NOT_YET_VALID
                            : days <= warnDays ? Certificate.EXPIRING : Certificate.OK;
            out.add(new Certificate(
                    base + "#" + i,
                    def.name(),
                    def.kind(),
                    usedBy,
                    role(x, i),
                    x.getSubjectX500Principal().getName(),
                    sans(x),
                    x.getIssuerX500Principal().getName(),
                    x.getSerialNumber().toString(16),
                    notBefore,
                    notAfter,
                    days,
                    state,
                    i == 0 ? problems : List.of(),
                    null));
        }
        return out;
    }

    /** What is wrong with the chain as a whole: a certificate after the leaf expired, or certificates out of order. */
    static List<String> chainProblems(List<X509Certificate> certs, Instant now) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < certs.size(); i++) {
            X509Certificate x = certs.get(i);
            String name = Certificates.commonName(x);
            String who = role(x, i) + " "
                    + (name == null ? x.getSubjectX500Principal().getName() : name);
            if (now.isAfter(x.getNotAfter().toInstant())) {
                out.add(who + " expired on " + x.getNotAfter().toInstant());
            } else if (now.isBefore(x.getNotBefore().toInstant())) {
                out.add(who + " is not valid before " + x.getNotBefore().toInstant());
            }
            X509Certificate below = certs.get(i - 1);
            if (!below.getIssuerX500Principal().equals(x.getSubjectX500Principal())) {
                out.add("certificate " + i + " (" + who + ") did not issue certificate " + (i - 1)
                        + ": the chain is out of order or incomplete");
            }
        }
        return out;
    }

    private static String role(X509Certificate x, int index) {
        if (index == 0) return "leaf";
        return x.getSubjectX500Principal().equals(x.getIssuerX500Principal()) ? "root" : "intermediate";
    }

    private static List<String> sans(X509Certificate x) {
        List<String> out = new ArrayList<>();
        try {
            if (x.getSubjectAlternativeNames() == null) return out;
            for (List<?> san : x.getSubjectAlternativeNames()) {
                int type = (Integer) san.get(0);
                if (type == 2 || type == 7) out.add(String.valueOf(san.get(1)));
            }
        } catch (CertificateParsingException e) {
            out.add("(unreadable: " + e.getMessage() + ")");
        }
        return out;
    }
}
