package dev.opsdeck.config;

import java.nio.file.Path;

/** {@code server:} where Opsdeck listens and keeps its files. */
public record ServerConfig(String bind, int port, Path dataDir, String publicUrl, TlsConfig tls) {
    /** Plain HTTP, for tests and tools that build a config in code. */
    public ServerConfig(String bind, int port, Path dataDir, String publicUrl) {
        this(bind, port, dataDir, publicUrl, null);
    }

    public static ServerConfig read(Fields f, Path baseDir) {
        String bind = f.string("bind", "127.0.0.1");
        int port = f.integer("port", 8080, 0, 65535);
        Path written = f.path("data_dir");
        Path dataDir = written == null ? Path.of("./data") : written;
        if (!dataDir.isAbsolute()) {
            dataDir = baseDir.resolve(dataDir).normalize();
        }
        String publicUrl = f.string("public_url", null);
        TlsConfig tls = TlsConfig.read(f.child("tls"), baseDir);
        f.finish();
        return new ServerConfig(bind, port, dataDir, publicUrl, tls);
    }
}
