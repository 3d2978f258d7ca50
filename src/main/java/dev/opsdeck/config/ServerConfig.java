package dev.opsdeck.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code server:} where Opsdeck listens and keeps its files; {@code nodeId} names this node in a cluster (null:
 * derived from the host name and the data directory at start).
 */
public record ServerConfig(String bind, int port, Path dataDir, String publicUrl, TlsConfig tls, String nodeId) {
    /** What a node id may hold: it is shown in tables and logs and used as a key in the store. */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** Plain HTTP, for tests and tools that build a config in code. */
    public ServerConfig(String bind, int port, Path dataDir, String publicUrl) {
        this(bind, port, dataDir, publicUrl, null, null);
    }

    public ServerConfig(String bind, int port, Path dataDir, String publicUrl, TlsConfig tls) {
        this(bind, port, dataDir, publicUrl, tls, null);
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
        String nodeId = f.string("node_id", null);
        if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
            f.problem(
                    "node_id",
                    "'" + nodeId + "' is not a valid node id",
                    "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
            nodeId = null;
        }
        f.finish();
        return new ServerConfig(bind, port, dataDir, publicUrl, tls, nodeId);
    }
}
