package dev.opsdeck.cluster;

import dev.opsdeck.config.ServerConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Who this node is: its id (from {@code server.node_id}, else the host name and a digest of the data directory, so
 * a restart keeps the id and two processes on one host with two data directories are two nodes), and what tells
 * its process apart (host, process id).
 */
public record NodeIdentity(String id, String host, String dataDir, long pid) {

    public static NodeIdentity of(ServerConfig server) {
        String host = hostName();
        String dataDir = server.dataDir().toAbsolutePath().normalize().toString();
        String id = server.nodeId() != null ? server.nodeId() : derived(host, dataDir);
        return new NodeIdentity(id, host, dataDir, ProcessHandle.current().pid());
    }

    /** {@code host-1a2b3c4d}: the host name cut to what a node id may hold, and 8 hex digits of the data dir. */
    static String derived(String host, String dataDir) {
        String clean = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (clean.isEmpty() || !Character.isLetterOrDigit(clean.charAt(0))) clean = "node" + clean;
        if (clean.length() > 80) clean = clean.substring(0, 80);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dataDir.getBytes(StandardCharsets.UTF_8));
            return clean + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
