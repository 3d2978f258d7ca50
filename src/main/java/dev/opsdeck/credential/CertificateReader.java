package dev.opsdeck.credential;

import dev.opsdeck.config.CertificateDef;
import dev.opsdeck.probe.types.Certificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the certificates of one source: the chain a TLS server presents, a PEM (or DER) file, each certificate
 * file of a directory, each entry of a PKCS#12 or JKS keystore. One {@link Chain} per place a chain lives; a
 * place that cannot be read is a chain with an error and no certificates, with the exact reason.
 */
final class CertificateReader {
    /** Certificates read at one place ({@code slot}: the file name in a directory, the keystore alias, else ""). */
    record Chain(String slot, List<X509Certificate> certificates, String error) {
        static Chain failed(String slot, String error) {
            return new Chain(slot, List.of(), error);
        }
    }

    private static final int TLS_TIMEOUT_MS = 10_000;
    private static final long MAX_FILE_BYTES = 1 << 20;

    private CertificateReader() {}

    static List<Chain> read(CertificateDef def) {
        return switch (def.kind()) {
            case "url", "tcp", "check" -> List.of(endpoint(def));
            case "file" -> List.of(file(def.path(), ""));
            case "dir" -> dir(def.path());
            case "keystore" -> keystore(def.path(), def.password());
            default -> List.of(Chain.failed("", "unknown source kind " + def.kind()));
        };
    }

    private static Chain endpoint(CertificateDef def) {
        try {
            X509Certificate[] chain = Certificates.presented(def.host(), def.port(), def.serverName(), TLS_TIMEOUT_MS);
            return new Chain("", List.of(chain), null);
        } catch (IOException e) {
            return Chain.failed("", "TLS handshake with " + def.host() + ":" + def.port() + " failed: " + reason(e));
        }
    }

    static Chain file(Path file, String slot) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) return Chain.failed(slot, file + " is larger than 1 MiB");
            byte[] bytes = Files.readAllBytes(file);
            List<X509Certificate> certs = parse(bytes);
            if (certs.isEmpty()) return Chain.failed(slot, file + " holds no certificate");
            return new Chain(slot, certs, null);
        } catch (NoSuchFileException e) {
            return Chain.failed(slot, file + " does not exist");
        } catch (AccessDeniedException e) {
            return Chain.failed(slot, "cannot read " + file + ": permission denied");
        } catch (IOException e) {
            return Chain.failed(slot, "cannot read " + file + ": " + reason(e));
        } catch (CertificateException e) {
            return Chain.failed(slot, file + " is not a PEM or DER certificate: " + reason(e));
        }
    }

    /** Every certificate in {@code bytes}, in order (a PEM bundle: leaf, then intermediates). */
    static List<X509Certificate> parse(byte[] bytes) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
            if (c instanceof X509Certificate x) out.add(x);
        }
        return out;
    }

    /**
     * The certificate files of a directory and its subdirectories ({@code .pem}, {@code .crt}, {@code .cer},
     * {@code .der}); a {@code .pem} holding only a private key is not a certificate file and is left out.
     */
    private static List<Chain> dir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of(Chain.failed("", Files.exists(dir) ? dir + " is not a directory" : dir + " does not exist"));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, 8)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(CertificateReader::certificateName)
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(Chain.failed("", "cannot list " + dir + ": " + reason(e)));
        }
        List<Chain> out = new ArrayList<>();
        for (Path f : files) {
            if (keyOnly(f)) continue;
            out.add(file(f, dir.relativize(f).toString()));
        }
        if (out.isEmpty())
            return List.of(Chain.failed("", dir + " holds no certificate file (.pem, .crt, .cer, .der)"));
        return out;
    }

    private static boolean certificateName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer") || n.endsWith(".der");
    }

    private static boolean keyOnly(Path f) {
        try {
            String head = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            return head.contains("-----BEGIN") && !head.contains("-----BEGIN CERTIFICATE");
        } catch (IOException e) {
            return false; // reading it again reports why
        }
    }

    private static List<Chain> keystore(Path file, String password) {
        char[] secret = password == null ? null : password.toCharArray();
        KeyStore ks;
        try {
            if (!Files.exists(file)) return List.of(Chain.failed("", "keystore " + file + " does not exist"));
            ks = KeyStore.getInstance(file.toFile(), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                return List.of(Chain.failed(
                        "",
                        "keystore " + file + ": wrong password"
                                + (password == null ? " (none given: set password: ${env:...})" : "")));
            }
            return List.of(Chain.failed("", "keystore " + file + ": cannot read it: " + reason(e)));
        } catch (KeyStoreException e) {
            return List.of(Chain.failed("", "keystore " + file + " is neither PKCS#12 nor JKS"));
        } catch (Exception e) {
            return List.of(Chain.failed("", "keystore " + file + ": " + reason(e)));
        }
        List<Chain> out = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain == null) {
                    Certificate one = ks.getCertificate(alias);
                    chain = one == null ? new Certificate[0] : new Certificate[] {one};
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) if (c instanceof X509Certificate x) certs.add(x);
                if (!certs.isEmpty()) out.add(new Chain(alias, certs, null));
            }
        } catch (KeyStoreException e) {
            return List.of(Chain.failed("", "keystore " + file + ": " + reason(e)));
        }
        if (out.isEmpty()) return List.of(Chain.failed("", "keystore " + file + " holds no certificate"));
        out.sort(java.util.Comparator.comparing(Chain::slot));
        return out;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
