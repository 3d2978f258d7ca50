package dev.opsdeck.runbook.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Strict known_hosts checking for one connection: the host must be listed, and with the very key it presents.
 * Nothing is ever added to the file. The verdict is kept so that the runner can say precisely why a handshake
 * was refused (the SSH library only reports that the key "did not validate").
 */
final class KnownHosts implements ServerKeyVerifier {
    private final SshHost host;
    private final List<KnownHostEntry> entries;
    private volatile SshException refusal;

    private KnownHosts(SshHost host, List<KnownHostEntry> entries) {
        this.host = host;
        this.entries = entries;
    }

    /** Reads the host's known_hosts file and keeps the entries that name this host and port. */
    static KnownHosts load(SshHost host) throws SshException {
        List<KnownHostEntry> all;
        try {
            if (!Files.isRegularFile(host.knownHosts()))
                throw new NoSuchFileException(host.knownHosts().toString());
            all = KnownHostEntry.readKnownHostEntries(host.knownHosts());
        } catch (NoSuchFileException e) {
            throw new SshException(
                    SshException.Kind.KNOWN_HOSTS,
                    "ssh " + host.label() + ": known_hosts file "
                            + host.knownHosts() + " does not exist (add the host's key with: ssh-keyscan -p "
                            + host.port()
                            + " " + host.host() + " >> " + host.knownHosts() + ", then compare its fingerprint)");
        } catch (IOException | RuntimeException e) {
            throw new SshException(
                    SshException.Kind.KNOWN_HOSTS,
                    "ssh " + host.label() + ": cannot read known_hosts file " + host.knownHosts() + ": "
                            + e.getMessage(),
                    e);
        }
        List<KnownHostEntry> mine = new ArrayList<>();
        for (KnownHostEntry e : all) {
            // revoked and CA lines are not host keys
            if (e.getMarker() == null && e.getKeyEntry() != null && e.isHostMatch(host.host(), host.port()))
                mine.add(e);
        }
        return new KnownHosts(host, mine);
    }

    /**
     * The key types listed for the host. The client offers only these host-key algorithms, as OpenSSH's client
     * does, so that a server with several keys shows the one known_hosts lists instead of looking "changed".
     */
    Set<String> keyTypes() {
        Set<String> types = new LinkedHashSet<>();
        for (KnownHostEntry e : entries) types.add(e.getKeyEntry().getKeyType());
        return types;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        String type = KeyUtils.getKeyType(serverKey);
        for (KnownHostEntry e : entries) {
            try {
                PublicKey known = e.getKeyEntry().resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
                if (known != null && KeyUtils.compareKeys(known, serverKey)) return true;
            } catch (IOException | GeneralSecurityException | RuntimeException ex) {
                // an unreadable line cannot vouch for the key; the others still may
            }
        }
        if (entries.isEmpty()) {
            refusal = new SshException(
                    SshException.Kind.HOST_KEY_UNKNOWN,
                    "ssh " + host.label()
                            + ": host key not in known_hosts " + host.knownHosts() + "; the host presented " + type
                            + " key "
                            + fingerprint + " (verify it out of band, then add it with ssh-keyscan)");
        } else {
            refusal = new SshException(
                    SshException.Kind.HOST_KEY_CHANGED,
                    "ssh " + host.label()
                            + ": HOST KEY CHANGED: the host presented " + type + " key " + fingerprint
                            + ", which known_hosts " + host.knownHosts() + " does not list for it; refusing to connect"
                            + " (someone may be intercepting the connection, or the host was reinstalled)");
        }
        return false;
    }

    /** Why the last handshake was refused, or null if the key was accepted or never checked. */
    SshException refusal() {
        return refusal;
    }
}
