package dev.opsdeck.demo;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
 * Makes X.509 certificates in process (EC P-256, SHA256withECDSA): the demo's certificate that is about to expire,
 * so the inventory has something to warn about, made at each start so it always is. A keytool run would cost a JVM
 * start per certificate.
 */
public final class DemoCertificate {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoCertificate() {}

    public static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A certificate for {@code cn} holding {@code subject}'s public key, signed by {@code issuer}'s private key. */
    public static X509Certificate make(
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

    /** The certificates as one PEM bundle. */
    public static String pem(X509Certificate... certs) throws GeneralSecurityException {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certs) {
            out.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }
}
