package dev.opsdeck.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.Cidr;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forwarded-for walk and literal parsing, without a server. */
class ClientAddressTest {
    private static final List<Cidr> PROXIES = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));

    private static String walk(String peer, String... hops) {
        return ClientAddress.walk(IpLiteral.parse(peer), List.of(hops), PROXIES).getHostAddress();
    }

    @Test
    void takesTheFirstUntrustedHopFromTheRight() {
        assertThat(walk("10.0.0.1", "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(walk("10.0.0.1", "198.51.100.1", "203.0.113.9", "10.0.0.2")).isEqualTo("203.0.113.9");
        assertThat(walk("10.0.0.1")).as("no header").isEqualTo("10.0.0.1");
        assertThat(walk("10.0.0.1", "10.0.0.3", "10.0.0.2"))
                .as("all trusted: the farthest")
                .isEqualTo("10.0.0.3");
        assertThat(walk("fd00::1", "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(walk("10.0.0.1", "[2001:db8::7]:4711")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(walk("10.0.0.1", "203.0.113.9:4711")).isEqualTo("203.0.113.9");
    }

    @Test
    void stopsAtTheLastTrustedHopOnAMalformedEntry() {
        assertThat(walk("10.0.0.1", "203.0.113.9", "unknown")).isEqualTo("10.0.0.1");
        assertThat(walk("10.0.0.1", "203.0.113.9", "10.0.0.2", "")).isEqualTo("10.0.0.1");
        assertThat(walk("10.0.0.1", "203.0.113.9", "garbage", "10.0.0.2")).isEqualTo("10.0.0.2");
    }

    @Test
    void parsesLiteralsOnlyNeverNames() {
        for (String bad : List.of(
                "localhost",
                "example.com",
                "abc",
                "1.2.3",
                "256.1.1.1",
                "1.2.3.4.5",
                "::g",
                "[::1",
                "fe80::1%eth0",
                "")) {
            assertThat(IpLiteral.parse(bad)).as(bad).isNull();
        }
        assertThat(IpLiteral.parse(" 192.0.2.1 ").getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(IpLiteral.parse("[::1]").isLoopbackAddress()).isTrue();
        assertThat(IpLiteral.parse("::ffff:10.1.2.3").getHostAddress())
                .as("mapped IPv4 becomes IPv4")
                .isEqualTo("10.1.2.3");
    }

    @Test
    void believesForwardedProtoOnlyFromATrustedPeer() {
        InetAddress proxy = IpLiteral.parse("10.0.0.1");
        InetAddress stranger = IpLiteral.parse("203.0.113.9");
        assertThat(ClientAddress.secure(false, proxy, Collections.enumeration(List.of("https")), PROXIES))
                .isTrue();
        assertThat(ClientAddress.secure(false, proxy, Collections.enumeration(List.of("https, http")), PROXIES))
                .isFalse();
        assertThat(ClientAddress.secure(false, stranger, Collections.enumeration(List.of("https")), PROXIES))
                .isFalse();
        assertThat(ClientAddress.secure(true, stranger, Collections.emptyEnumeration(), PROXIES))
                .isTrue();
    }

    @Test
    void countsIpv6SourcesByTheirSlash64() {
        assertThat(NetworkGuard.sourceKey(IpLiteral.parse("2001:db8:1:2::a")))
                .isEqualTo(NetworkGuard.sourceKey(IpLiteral.parse("2001:db8:1:2:ffff::1")))
                .isEqualTo("20010db800010002::/64");
        assertThat(NetworkGuard.sourceKey(IpLiteral.parse("192.0.2.1"))).isEqualTo("192.0.2.1");
    }
}
