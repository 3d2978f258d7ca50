package dev.opsdeck.config;

import java.nio.file.Path;

/**
 * {@code server.tls:} serve HTTPS directly, from a PEM certificate chain and key or from a PKCS#12
 * keystore. Absent means plain HTTP, which suits a reverse proxy that terminates TLS.
 */
public record TlsConfig(Path cert, Path key, Path keystore, String keystorePassword) {
    public boolean pem() {
        return cert != null;
    }

    /** Reads {@code server.tls}; null when the section is absent. */
    public static TlsConfig read(Fields f, Path baseDir) {
        if (!f.present()) {
            return null;
        }
        Path cert = path(f, "cert", baseDir);
        Path key = path(f, "key", baseDir);
        Path keystore = path(f, "keystore", baseDir);
        String password = f.secret("keystore_password", null);
        f.finish();
        boolean pem = cert != null || key != null;
        if (pem && keystore != null) {
            f.problems().add(f.position(), "server.tls: give either cert and key, or keystore, not both");
        } else if (pem && (cert == null || key == null)) {
            f.problems().add(f.position(), "server.tls: cert and key go together", "name both PEM files");
        } else if (!pem && keystore == null) {
            f.problems()
                    .add(
                            f.position(),
                            "server.tls: no certificate given",
                            "name cert and key (PEM files) or keystore (PKCS#12) with keystore_password");
        } else if (keystore != null && password == null) {
            f.problems()
                    .add(
                            f.position(),
                            "server.tls: keystore needs keystore_password",
                            "keystore_password: \"${env:OPSDECK_KEYSTORE_PASSWORD}\"");
        }
        return new TlsConfig(cert, key, keystore, password);
    }

    @Override
    public String toString() { // never the password: configs end up in logs and test output
        return pem()
                ? "TlsConfig[cert=" + cert + ", key=" + key + "]"
                : "TlsConfig[keystore=" + keystore + ", keystore_password="
                        + (keystorePassword == null ? "none" : "***") + "]";
    }

    private static Path path(Fields f, String key, Path baseDir) {
        Path p = f.path(key);
        if (p == null) return null;
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }
}
