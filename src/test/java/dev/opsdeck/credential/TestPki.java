package dev.opsdeck.credential;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Real X.509 certificates for the tests, made in process (a keytool run per certificate costs a JVM start): EC P-256
 * keys, signed with SHA256withECDSA by their issuer, with any validity dates, written as PEM files and PKCS#12 or
 * JKS keystores.
 */
final class TestPki {
    /** A certificate and the key pair it certifies. */
    record Issued(X509Certificate certificate, KeyPair keys, String cn) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {}

    static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Issued root(String cn, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair k = keys();
        return new Issued(make(cn, k, cn, k, notBefore, notAfter, true, List.of()), k, cn);
    }

    static Issued issue(Issued issuer, String cn, Instant notBefore, Instant notAfter, boolean ca, List<String> dns)
            throws Exception {
        KeyPair k = keys();
        return new Issued(make(cn, k, issuer.cn(), issuer.keys(), notBefore, notAfter, ca, dns), k, cn);
    }

    private static X509Certificate make(
            String cn,
            KeyPair subject,
            String issuerCn,
            KeyPair issuer,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<String> dns)
            throws Exception {
        V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
        g.setSerialNumber(new ASN1Integer(new BigInteger(64, RANDOM)));
        g.setIssuer(new X500Name("CN=" + issuerCn));
        g.setSubject(new X500Name("CN=" + cn));
        g.setStartDate(new Time(Date.from(notBefore)));
        g.setEndDate(new Time(Date.from(notAfter)));
        g.setSubjectPublicKeyInfo(
                SubjectPublicKeyInfo.getInstance(subject.getPublic().getEncoded()));
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        g.setSignature(algorithm);
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!dns.isEmpty()) {
            GeneralName[] names = dns.stream()
                    .map(d -> new GeneralName(GeneralName.dNSName, d))
                    .toArray(GeneralName[]::new);
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        g.setExtensions(ext.generate());
        TBSCertificate tbs = g.generateTBSCertificate();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(issuer.getPrivate());
        s.update(tbs.getEncoded(ASN1Encoding.DER));
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(tbs);
        v.add(algorithm);
        v.add(new DERBitString(s.sign()));
        byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    static String pem(X509Certificate... certs) throws Exception {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certs) {
            out.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
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
