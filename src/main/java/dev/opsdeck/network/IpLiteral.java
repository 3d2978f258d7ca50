package dev.opsdeck.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses IP address literals as proxies and Jetty write them, never resolving a name: a header value
 * like {@code evil.example} must not turn into a DNS lookup the client controls.
 */
final class IpLiteral {
    private static final Pattern V4 =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::\\d{1,5})?");
    private static final Pattern BRACKETED_V6 = Pattern.compile("\\[([0-9a-fA-F:.]+)](?::\\d{1,5})?");
    private static final Pattern BARE_V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiteral() {}

    /** The address in {@code text} (IPv4, IPv6, {@code [IPv6]}, each optionally with a port), or null. */
    static InetAddress parse(String text) {
        if (text == null) return null;
        String t = text.strip();
        Matcher v4 = V4.matcher(t);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) return null;
                bytes[i] = (byte) octet;
            }
            return byAddress(bytes);
        }
        Matcher bracketed = BRACKETED_V6.matcher(t);
        String v6 =
                bracketed.matches() ? bracketed.group(1) : BARE_V6.matcher(t).matches() ? t : null;
        if (v6 == null) return null;
        try {
            // brackets make the JDK treat the text as an IPv6 literal only: a bad one fails, no lookup
            return InetAddress.getByName("[" + v6 + "]");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong array length
        }
    }
}
