package dev.opsdeck.network;

import dev.opsdeck.config.Cidr;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Who sent a request. {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed only when the
 * socket peer is a trusted proxy: anyone else could write them to pose as an allowed address.
 */
public final class ClientAddress {
    /** Context attribute holding the resolved address as text, for later handlers and the audit log. */
    public static final String ATTRIBUTE = "opsdeck.client";

    private ClientAddress() {}

    /**
     * The socket peer; when that is a trusted proxy, the nearest untrusted address in
     * {@code X-Forwarded-For}, read from the right (each proxy appends the address it saw).
     */
    public static InetAddress resolve(Context ctx, List<Cidr> trustedProxies) {
        InetAddress peer = peer(ctx);
        if (!within(peer, trustedProxies)) return peer;
        return walk(peer, forwardedFor(ctx), trustedProxies);
    }

    /** Resolves the client and records it as {@link #ATTRIBUTE}. */
    static InetAddress resolveAndRecord(Context ctx, List<Cidr> trustedProxies) {
        InetAddress client = resolve(ctx, trustedProxies);
        ctx.attribute(ATTRIBUTE, client.getHostAddress());
        return client;
    }

    /** The address recorded by the network guard; the socket peer when the guard did not run. */
    public static String of(Context ctx) {
        String recorded = ctx.attribute(ATTRIBUTE);
        return recorded != null ? recorded : peer(ctx).getHostAddress();
    }

    /** HTTPS on this connection, or {@code X-Forwarded-Proto: https} set by a trusted proxy. */
    public static boolean secure(Context ctx, List<Cidr> trustedProxies) {
        return secure(ctx.req().isSecure(), peer(ctx), ctx.req().getHeaders("X-Forwarded-Proto"), trustedProxies);
    }

    static boolean secure(
            boolean nativeTls, InetAddress peer, Enumeration<String> forwardedProto, List<Cidr> trustedProxies) {
        if (nativeTls) return true;
        if (!within(peer, trustedProxies) || forwardedProto == null) return false;
        List<String> values = splitHeader(forwardedProto);
        // the last value is the one the proxy next to us wrote; earlier ones came from further out
        return !values.isEmpty() && values.getLast().equalsIgnoreCase("https");
    }

    static InetAddress walk(InetAddress peer, List<String> hops, List<Cidr> trustedProxies) {
        InetAddress lastTrusted = peer;
        for (String hop : hops.reversed()) {
            InetAddress address = IpLiteral.parse(hop);
            if (address == null) return lastTrusted; // garbage from further out: believe nothing beyond it
            if (!within(address, trustedProxies)) return address;
            lastTrusted = address;
        }
        return lastTrusted;
    }

    static boolean within(InetAddress address, List<Cidr> subnets) {
        for (Cidr c : subnets) {
            if (c.contains(address)) return true;
        }
        return false;
    }

    static InetAddress peer(Context ctx) {
        InetAddress peer = IpLiteral.parse(ctx.req().getRemoteAddr());
        if (peer == null) { // Jetty always gives a literal; a non-IP transport (unix socket) is local
            return InetAddress.getLoopbackAddress();
        }
        return peer;
    }

    private static List<String> forwardedFor(Context ctx) {
        return splitHeader(ctx.req().getHeaders("X-Forwarded-For"));
    }

    /** All values of a header that may repeat and hold comma-separated lists, in order. */
    private static List<String> splitHeader(Enumeration<String> headers) {
        List<String> out = new ArrayList<>();
        for (String header : Collections.list(headers)) {
            for (String part : header.split(",")) out.add(part.strip());
        }
        return out;
    }
}
