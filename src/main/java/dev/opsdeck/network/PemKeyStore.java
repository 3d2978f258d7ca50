package dev.opsdeck.network;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM certificate chain and an unencrypted PKCS#8 key (RSA or EC) with plain JDK code, into
 * the in-memory PKCS#12 keystore Jetty wants. Formats the JDK cannot read are named with the openssl
 * command that converts them, rather than pulling in a PEM library.
 */
final class PemKeyStore {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemKeyStore() {}

    static KeyStore load(Path certFile, Path keyFile, char[] password) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain.getFirst().getPublicKey().getAlgorithm());
        if (!KeyPairCheck.matches(key, chain.getFirst())) {
            throw new TlsException(
                    "server.tls.key: " + keyFile + ": does not belong to the certificate in " + certFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("opsdeck", key, password, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("server.tls: cannot build the keystore: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        String text = TlsFiles.read("server.tls.cert", file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals("CERTIFICATE")) continue;
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new TlsException(
                    "server.tls.cert: " + file + ": not a valid PEM certificate (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw new TlsException(
                    "server.tls.cert: " + file + ": no certificate found (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, String certAlgorithm) {
        String text = TlsFiles.read("server.tls.key", file);
        String convert = "openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out "
                + file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".pk8";
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("ENCRYPTED PRIVATE KEY")
                    || (type.endsWith(" PRIVATE KEY") && m.group(2).contains("ENCRYPTED"))) {
                throw new TlsException(
                        "server.tls.key: " + file + ": the key is encrypted; Opsdeck needs it unencrypted"
                                + " with mode 0600 (decrypt with: " + convert + ")");
            }
            if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY")) {
                throw new TlsException(
                        "server.tls.key: " + file + ": not a PKCS#8 private key (convert with: " + convert + ")");
            }
            if (type.equals("PRIVATE KEY")) {
                return pkcs8(file, Base64.getMimeDecoder().decode(m.group(2)), certAlgorithm);
            }
        }
        throw new TlsException(
                "server.tls.key: " + file + ": no private key found (expected -----BEGIN PRIVATE KEY-----)");
    }

    /** The certificate's algorithm first; the other one only to say that the key is of the wrong kind. */
    private static PrivateKey pkcs8(Path file, byte[] der, String certAlgorithm) {
        for (String algorithm : List.of(certAlgorithm, "RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // try the next kind
            }
        }
        throw new TlsException("server.tls.key: " + file + ": not an RSA or EC private key Opsdeck can read");
    }
}
