package dev.opsdeck.runbook.ssh;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server for tests: its own host key, config and authorized_keys in a temp directory, on a free
 * port of 127.0.0.1, letting the current user in with one generated client key.
 */
public final class PrivateSshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    public final Path dir;
    public final int port;
    private final Process process;

    private PrivateSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    public static PrivateSshd start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("opsdeck-sshd-");
        keygen(dir.resolve("host_ed25519"), "ed25519");
        keygen(dir.resolve("client_ed25519"), "ed25519");
        Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
        int port = freePort();
        Files.writeString(
                dir.resolve("sshd_config"),
                String.join(
                        "\n",
                        "ListenAddress 127.0.0.1",
                        "HostKey " + dir.resolve("host_ed25519"),
                        "PidFile " + dir.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin prohibit-password",
                        "UsePAM no",
                        "StrictModes no",
                        "LogLevel VERBOSE",
                        ""));
        // sshd running as root wants its privilege separation directory
        if ("root".equals(System.getProperty("user.name"))) Files.createDirectories(Path.of("/run/sshd"));
        Process p = new ProcessBuilder(
                        SSHD.toString(),
                        "-D",
                        "-e",
                        "-f",
                        dir.resolve("sshd_config").toString(),
                        "-p",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        PrivateSshd sshd = new PrivateSshd(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return sshd;
            } catch (IOException notYet) {
                if (!p.isAlive()) break;
                Thread.sleep(50);
            }
        }
        String log = Files.readString(dir.resolve("sshd.log"));
        sshd.close();
        throw new IOException("sshd did not start: " + log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static void keygen(Path file, String type) throws IOException, InterruptedException {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "opsdeck-test", "-f", file.toString());
    }

    /** The "SHA256:..." fingerprint ssh-keygen prints for a public key file. */
    public static String fingerprint(Path publicKey) throws IOException, InterruptedException {
        return run("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString())
                .split(" ")[1];
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
        return out;
    }

    /** A known_hosts file listing this server's host key under "[127.0.0.1]:port", as ssh-keyscan writes it. */
    public Path knownHosts() throws IOException {
        Path file = dir.resolve("known_hosts");
        String[] pub = Files.readString(dir.resolve("host_ed25519.pub")).trim().split(" ");
        Files.writeString(file, "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        return file;
    }

    public String clientKey() throws IOException {
        return Files.readString(dir.resolve("client_ed25519"));
    }

    SshHost host() throws IOException {
        return new SshHost("db-primary", "127.0.0.1", port, System.getProperty("user.name"), clientKey(), knownHosts());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
