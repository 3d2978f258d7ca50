package dev.opsdeck.credential;

import dev.opsdeck.demo.DemoCertificate;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Real X.509 certificates for the tests, made in process (a keytool run per certificate costs a JVM start): EC P-256
 * keys, signed with SHA256withECDSA by their issuer, with any validity dates, written as PEM files and PKCS#12 or
 * JKS keystores.
 */
final class TestPki {
    /** A certificate and the key pair it certifies. */
    record Issued(X509Certificate certificate, KeyPair keys, String cn) {}

    private TestPki() {}

    static KeyPair keys() throws Exception {
        return DemoCertificate.keys();
    }

    static Issued root(String cn, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair k = keys();
        return new Issued(DemoCertificate.make(cn, k, cn, k, notBefore, notAfter, true, List.of()), k, cn);
    }

    static Issued issue(Issued issuer, String cn, Instant notBefore, Instant notAfter, boolean ca, List<String> dns)
            throws Exception {
        KeyPair k = keys();
        return new Issued(DemoCertificate.make(cn, k, issuer.cn(), issuer.keys(), notBefore, notAfter, ca, dns), k, cn);
    }

    static String pem(X509Certificate... certs) throws Exception {
        return DemoCertificate.pem(certs);
    }

    static Path writePem(Path file, X509Certificate... certs) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, pem(certs));
    }

    /** A keystore file ({@code PKCS12} or {@code JKS}) holding {@code leaf}'s key with its chain under {@code alias}. */
    static Path keystore(Path file, String type, String password, String alias, Issued leaf, X509Certificate... chain)
            throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        X509Certificate[] full = new X509Certificate[chain.length + 1];
        full[0] = leaf.certificate();
        System.arraycopy(chain, 0, full, 1, chain.length);
        ks.setKeyEntry(alias, leaf.keys().getPrivate(), password.toCharArray(), full);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }
}
