package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Subnet parsing and membership, for IPv4, IPv6 and IPv4 clients seen on an IPv6 socket. */
class CidrTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup happens
    }

    @Test
    void matchesIpv4Subnets() throws Exception {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains(ip("10.255.1.2"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.7").contains(ip("192.168.1.7"))).isTrue();
        assertThat(Cidr.parse("192.168.1.7").contains(ip("192.168.1.8")))
                .as("a bare address is a /32")
                .isFalse();
        assertThat(Cidr.parse("10.1.2.3/8")).as("host bits are masked").isEqualTo(ten);
        assertThat(Cidr.parse(" 10.0.0.0/8 ").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void matchesIpv6SubnetsAndKeepsTheFamiliesApart() throws Exception {
        Cidr ula = Cidr.parse("fd00::/8");
        assertThat(ula.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(ula.contains(ip("fe80::1"))).isFalse();
        assertThat(ula.contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("::1").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("fd00::a00:1"))).isFalse();
    }

    @Test
    void matchesAnIpv4ClientSeenAsMappedIpv6() throws Exception {
        InetAddress mapped = InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3});
        assertThat(Cidr.parse("10.0.0.0/8").contains(mapped)).isTrue();
        assertThat(Cidr.parse("::ffff:10.1.2.3").contains(ip("10.1.2.3")))
                .as("written mapped, stored as IPv4")
                .isTrue();
    }

    @Test
    void prefixZeroMatchesTheWholeFamily() throws Exception {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void explainsBadInput() {
        assertThatThrownBy(() -> Cidr.parse("example.com"))
                .hasMessage("\"example.com\" is not an IP address or subnet");
        assertThatThrownBy(() -> Cidr.parse("")).hasMessage("\"\" is not an IP address or subnet");
        // shorthand forms the JDK would accept (1.2.3 as 1.2.0.3) and hex words it would look up in DNS
        assertThatThrownBy(() -> Cidr.parse("1.2.3")).hasMessage("\"1.2.3\" is not an IP address or subnet");
        assertThatThrownBy(() -> Cidr.parse("cafe")).hasMessage("\"cafe\" is not an IP address or subnet");
        assertThatThrownBy(() -> Cidr.parse("300.1.1.1")).hasMessage("\"300.1.1.1\" is not an IP address or subnet");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
                .hasMessage("\"10.0.0.0/33\": the prefix length must be 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x"))
                .hasMessage("\"10.0.0.0/x\": the prefix length must be 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("::/129")).hasMessage("\"::/129\": the prefix length must be 0 to 128");
    }
}
