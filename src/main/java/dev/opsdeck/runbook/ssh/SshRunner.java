package dev.opsdeck.runbook.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Runs a step's script on a remote host over SSH: public-key authentication only, strict known_hosts checking,
 * arguments and environment passed as quoted data ({@link RemoteCommand}), output capped, and a command that
 * outlives its timeout killed with its whole process group. Each run uses its own connection, so one host's
 * trouble never holds up a step on another.
 */
public final class SshRunner {
    private final Duration connectTimeout;

    /** Connection and authentication each get {@code connectTimeout}; the command gets its own timeout. */
    public SshRunner(Duration connectTimeout) {
        if (connectTimeout.isNegative() || connectTimeout.isZero())
            throw new IllegalArgumentException("connect timeout must be positive");
        this.connectTimeout = connectTimeout;
    }

    /** A runner that gives connection and authentication ten seconds each. */
    public SshRunner() {
        this(Duration.ofSeconds(10));
    }

    /**
     * Runs {@code script} with {@code /bin/sh} on {@code host}; {@code args} become $1, $2..., {@code env} its
     * environment. Each output stream keeps at most {@code outputCapBytes}; complete lines within the cap go to
     * {@code liveLines} (may be null) as they arrive. The command is killed when {@code timeout} passes; the
     * outcome then says {@code timedOut} and holds the output so far.
     *
     * @throws SshException when the command could not be started: bad key, unknown or changed host key,
     *         unreachable host, refused connection or authentication
     * @throws InterruptedException when the calling thread is interrupted (a cancelled run) while the command
     *         runs: the channel is closed first, so the remote command is killed as at a timeout
     */
    public SshOutcome run(
            SshHost host,
            String script,
            List<String> args,
            Map<String, String> env,
            Duration timeout,
            int outputCapBytes,
            Consumer<OutputLine> liveLines)
            throws SshException, InterruptedException {
        String command = RemoteCommand.build(script, args, env);
        List<KeyPair> identities = identities(host);
        KnownHosts knownHosts = KnownHosts.load(host);
        SshClient client = SshClient.setUpDefaultClient();
        // only what the inventory says: no ~/.ssh/config, no default keys, no password prompts
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setServerKeyVerifier(knownHosts);
        List<NamedFactory<Signature>> signatures =
                onlyKnownTypes(client.getSignatureFactories(), knownHosts.keyTypes());
        if (!signatures.isEmpty()) client.setSignatureFactories(signatures);
        client.start();
        try (ClientSession session = connect(client, host)) {
            identities.forEach(session::addPublicKeyIdentity);
            authenticate(session, host, knownHosts);
            return execute(session, host, command, timeout, outputCapBytes, liveLines);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.PROTOCOL, "ssh " + host.label() + ": " + message(e), e);
        } finally {
            client.stop();
        }
    }

    private static List<KeyPair> identities(SshHost host) throws SshException {
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(host.privateKey().getBytes(StandardCharsets.UTF_8))) {
            Iterable<KeyPair> read = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(host.name() + " key"), in, FilePasswordProvider.EMPTY);
            if (read != null) read.forEach(keys::add);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SshException(
                    SshException.Kind.BAD_KEY,
                    "ssh " + host.label()
                            + ": the private key cannot be read (an unencrypted OpenSSH or PEM private key is expected): "
                            + message(e),
                    e);
        }
        if (keys.isEmpty()) {
            throw new SshException(
                    SshException.Kind.BAD_KEY,
                    "ssh " + host.label()
                            + ": the private key holds no key (an unencrypted OpenSSH or PEM private key is expected)");
        }
        return keys;
    }

    private static List<NamedFactory<Signature>> onlyKnownTypes(
            List<NamedFactory<Signature>> all, Set<String> keyTypes) {
        Set<String> wanted = new HashSet<>();
        for (String type : keyTypes) {
            // an RSA key is offered under its SHA-2 signature names
            if (type.equals("ssh-rsa")) wanted.addAll(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"));
            else wanted.add(type);
        }
        List<NamedFactory<Signature>> kept = new ArrayList<>();
        for (NamedFactory<Signature> f : all) if (wanted.contains(f.getName())) kept.add(f);
        return kept;
    }

    private ClientSession connect(SshClient client, SshHost host) throws SshException {
        try {
            return client.connect(host.user(), host.host(), host.port())
                    .verify(connectTimeout)
                    .getSession();
        } catch (IOException | RuntimeException e) {
            throw connectFailure(host, e);
        }
    }

    private SshException connectFailure(SshHost host, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    && String.valueOf(t.getMessage()).toLowerCase().contains("refused")) {
                return new SshException(
                        SshException.Kind.CONNECTION_REFUSED,
                        "ssh " + host.label() + ": connection refused (nothing listens on port " + host.port() + ")",
                        e);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new SshException(
                        SshException.Kind.UNKNOWN_HOST,
                        "ssh " + host.label() + ": host name " + host.host() + " does not resolve",
                        e);
            }
            if (t instanceof NoRouteToHostException
                    || (t instanceof ConnectException
                            && String.valueOf(t.getMessage()).toLowerCase().contains("unreachable"))) {
                return new SshException(SshException.Kind.UNREACHABLE, "ssh " + host.label() + ": no route to host", e);
            }
            if (t instanceof SocketTimeoutException) break;
        }
        String text = message(e);
        if (text.toLowerCase().contains("timeout") || text.toLowerCase().contains("timed out")) {
            return new SshException(
                    SshException.Kind.UNREACHABLE,
                    "ssh " + host.label() + ": no answer within " + connectTimeout.toSeconds()
                            + "s (host down or a firewall drops the connection)",
                    e);
        }
        return new SshException(SshException.Kind.UNREACHABLE, "ssh " + host.label() + ": cannot connect: " + text, e);
    }

    private void authenticate(ClientSession session, SshHost host, KnownHosts knownHosts) throws SshException {
        try {
            session.auth().verify(connectTimeout);
        } catch (IOException | RuntimeException e) {
            if (knownHosts.refusal() != null) throw knownHosts.refusal();
            String text = message(e);
            if (text.toLowerCase().contains("timeout") || text.toLowerCase().contains("timed out")) {
                throw new SshException(
                        SshException.Kind.UNREACHABLE,
                        "ssh " + host.label() + ": no SSH handshake within " + connectTimeout.toSeconds()
                                + "s (the port accepts connections but no SSH server answers)",
                        e);
            }
            if (text.contains("No more authentication methods")
                    || text.toLowerCase().contains("auth")) {
                throw new SshException(
                        SshException.Kind.AUTH_FAILED,
                        "ssh " + host.label() + ": authentication failed: the server refused user " + host.user()
                                + " with the given key",
                        e);
            }
            throw new SshException(
                    SshException.Kind.PROTOCOL, "ssh " + host.label() + ": handshake failed: " + text, e);
        }
    }

    private static SshOutcome execute(
            ClientSession session,
            SshHost host,
            String command,
            Duration timeout,
            int cap,
            Consumer<OutputLine> liveLines)
            throws IOException, SshException, InterruptedException {
        CappedOutput out = new CappedOutput(cap, false, liveLines);
        CappedOutput err = new CappedOutput(cap, true, liveLines);
        long started = System.nanoTime();
        try (OpenStdin stdin = new OpenStdin();
                ChannelExec channel = session.createExecChannel(command)) {
            channel.setIn(stdin);
            channel.setOut(out);
            channel.setErr(err);
            if (!channel.open().verify(Duration.ofSeconds(30)).isOpened()) {
                throw new SshException(
                        SshException.Kind.PROTOCOL, "ssh " + host.label() + ": the server refused to run the command");
            }
            // the library's own waitFor swallows interrupts; a latch lets a cancelled run stop the command at once
            CountDownLatch ended = new CountDownLatch(1);
            channel.addCloseFutureListener(f -> ended.countDown());
            boolean closed;
            try {
                closed = ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                channel.close(false).await(Duration.ofSeconds(5));
                throw e;
            }
            boolean timedOut = !closed;
            if (timedOut) {
                // closing the channel ends the remote supervisor's stdin: it then kills the command's process group
                channel.close(false).await(Duration.ofSeconds(5));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Integer exit = timedOut ? null : channel.getExitStatus();
            String signal = timedOut ? null : channel.getExitSignal();
            return new SshOutcome(
                    exit, signal, timedOut, out.text(), err.text(), out.truncated(), err.truncated(), took);
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
