package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Failures;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@code type: redis} — connects, authenticates, PINGs and reads INFO.
 * Speaks RESP over a plain socket rather than through Lettuce: a check is three commands on a
 * fresh connection, and Lettuce would add a Netty event loop (threads, startup time) per probe
 * plus reconnect logic that works against a monitor, which must see each failure as it is.
 */
public final class RedisCheck implements CheckType {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "CONNECTED", "PING", "USED_MEMORY", "HIT_RATE", "CONNECTED_CLIENTS", "ROLE", "INFO", "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[PING] == PONG");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        RedisTarget t = RedisTarget.read(f);
        return t == null
                ? null
                : context -> {
                    Deadline deadline = new Deadline(context.timeout());
                    try {
                        return probe(t, deadline);
                    } catch (Failed | Resp.ProtocolError e) {
                        return Observation.failed(t.redact(e.getMessage()));
                    } catch (IOException e) {
                        return Observation.failed(t.redact(Failures.describe(e, context.timeout())));
                    }
                };
    }

    private static Observation probe(RedisTarget t, Deadline deadline) throws Exception {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(t.host(), t.port()), deadline.remainingMillis());
            Socket s = t.tls() ? tls(raw, t) : raw;
            try (s) {
                Resp resp = new Resp(s);
                Observation o = new Observation().put("CONNECTED", true);
                if (t.password() != null) {
                    expectOk(
                            t.username() == null
                                    ? call(s, resp, deadline, "AUTH", t.password())
                                    : call(s, resp, deadline, "AUTH", t.username(), t.password()),
                            "AUTH");
                }
                if (t.db() != 0) {
                    expectOk(call(s, resp, deadline, "SELECT", String.valueOf(t.db())), "SELECT " + t.db());
                }
                Object ping = call(s, resp, deadline, "PING");
                if (ping instanceof Resp.Error e) {
                    return o.fail("PING failed: " + e.message());
                }
                o.put("PING", String.valueOf(ping));
                o.put("RESPONSE_TIME", deadline.elapsed());
                // INFO may be renamed or denied by an ACL: then only its placeholders are missing
                if (call(s, resp, deadline, "INFO") instanceof String info) {
                    info(info, o);
                }
                return o;
            }
        }
    }

    private static Socket tls(Socket raw, RedisTarget t) throws Exception {
        SSLSocketFactory factory = t.insecure()
                ? Certificates.trustAll().getSocketFactory()
                : (SSLSocketFactory) SSLSocketFactory.getDefault();
        SSLSocket s = (SSLSocket) factory.createSocket(raw, t.host(), t.port(), true);
        if (!t.insecure()) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // check the host name, as rediss:// promises
            s.setSSLParameters(p);
        }
        return s;
    }

    private static Object call(Socket s, Resp resp, Deadline deadline, String... args) throws Exception {
        s.setSoTimeout(deadline.remainingMillis());
        return resp.call(args);
    }

    private static void expectOk(Object reply, String what) throws Failed {
        if (reply instanceof Resp.Error e) {
            throw new Failed(what + " failed: " + e.message());
        }
    }

    private static void info(String text, Observation o) {
        Map<String, Object> info = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) continue;
            info.put(line.substring(0, colon), typed(line.substring(colon + 1)));
        }
        o.put("INFO", info);
        if (info.get("used_memory") instanceof Long used) o.put("USED_MEMORY", new Observation.Size(used));
        if (info.get("connected_clients") instanceof Long clients) o.put("CONNECTED_CLIENTS", clients);
        if (info.get("role") instanceof String role) o.put("ROLE", role);
        if (info.get("keyspace_hits") instanceof Long hits
                && info.get("keyspace_misses") instanceof Long misses
                && hits + misses > 0) {
            o.put("HIT_RATE", hits * 100.0 / (hits + misses));
        }
    }

    /** INFO values as numbers where they are numbers, so [INFO].x compares and prints as one. */
    private static Object typed(String v) {
        if (v.matches("-?\\d{1,18}")) return Long.parseLong(v);
        if (v.matches("-?\\d+\\.\\d+")) return Double.parseDouble(v);
        return v;
    }
}
