package dev.opsdeck.runbook.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One host of the runbook inventory: where to connect, as whom, with which private key, and the known_hosts
 * file its host key must be listed in. {@code privateKey} is the key's text (OpenSSH or PEM), usually resolved
 * from a secret; it never appears in {@link #toString()}.
 */
public record SshHost(String name, String host, int port, String user, String privateKey, Path knownHosts) {
    public SshHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
        if (port < 1 || port > 65535)
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }

    /** How errors name the host: its inventory name and where it points. */
    public String label() {
        return name + " (" + user + "@" + host + ":" + port + ")";
    }

    @Override
    public String toString() {
        return "SshHost[" + label() + ", known_hosts=" + knownHosts + "]";
    }
}
