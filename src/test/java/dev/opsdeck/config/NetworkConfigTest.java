package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network section read from a real file: values, defaults and every problem with its position. */
class NetworkConfigTest {
    private static final String SUBNET_HINT =
            " (hint: write an address or a subnet: 10.0.0.0/8, 192.168.1.7, fd00::/8)";

    @TempDir
    Path dir;

    private OpsdeckConfig load(String yaml, Problems problems) throws IOException {
        Path file = dir.resolve("opsdeck.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, problems);
    }

    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        load(yaml, problems);
        return problems.sorted().stream()
                .map(p -> p.toString().replace(dir + "/", ""))
                .toList();
    }

    @Test
    void readsEveryKey() throws IOException {
        Problems problems = new Problems();
        NetworkConfig n = load("""
                network:
                  allowed_subnets: [10.0.0.0/8, 127.0.0.1, "fd00::/8"]
                  trusted_proxies: [127.0.0.1]
                  cors_origins: [https://status.example.com]
                  rate_limit:
                    per_source: 300/1m
                    per_key: 20/1s
                  max_request_body: 256KB
                """, problems).network();
        assertThat(problems.sorted()).isEmpty();
        assertThat(n.allowedSubnets())
                .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1"), Cidr.parse("fd00::/8"));
        assertThat(n.trustedProxies()).containsExactly(Cidr.parse("127.0.0.1"));
        assertThat(n.corsOrigins()).containsExactly("https://status.example.com");
        assertThat(n.perSource()).isEqualTo(new NetworkConfig.Rate(300, Duration.ofMinutes(1)));
        assertThat(n.perKey()).isEqualTo(new NetworkConfig.Rate(20, Duration.ofSeconds(1)));
        assertThat(n.maxRequestBody()).isEqualTo(256_000L);
    }

    @Test
    void defaultsWithoutTheSection() throws IOException {
        Problems problems = new Problems();
        assertThat(load("server:\n  port: 8080\n", problems).network()).isEqualTo(NetworkConfig.DEFAULTS);
    }

    @Test
    void reportsBadSubnetsRatesAndOrigins() throws IOException {
        assertThat(problems("""
                network:
                  allowed_subnets: [10.0.0.0/33, example.com]
                  trusted_proxies: [127.0.0.1/x]
                  cors_origins: ["*", https://ok.example.com/path]
                  rate_limit:
                    per_source: abc
                    per_key: 0/1m
                  max_request_body: 10
                """))
                .containsExactly(
                        "opsdeck.yaml:2:21: network.allowed_subnets: \"10.0.0.0/33\": the prefix length must be 0 to 32"
                                + SUBNET_HINT,
                        "opsdeck.yaml:2:34: network.allowed_subnets: \"example.com\" is not an IP address or subnet"
                                + SUBNET_HINT,
                        "opsdeck.yaml:3:21: network.trusted_proxies: \"127.0.0.1/x\": the prefix length must be 0 to 32"
                                + SUBNET_HINT,
                        "opsdeck.yaml:4:18: network.cors_origins: \"*\" would let any site call the API"
                                + " (hint: list the origins that may call it)",
                        "opsdeck.yaml:4:23: network.cors_origins: \"https://ok.example.com/path\" is not an origin"
                                + " (hint: write scheme://host[:port] with no path, e.g. https://ops.example.com)",
                        "opsdeck.yaml:6:17: network.rate_limit.per_source: bad rate \"abc\" (hint: write requests per period: 600/1m, 20/1s)",
                        "opsdeck.yaml:7:14: network.rate_limit.per_key: bad rate \"0/1m\" (hint: write requests per period: 600/1m, 20/1s)",
                        "opsdeck.yaml:8:21: network.max_request_body: must be between 1KB and 100MB");
    }

    @Test
    void theBodyLimitsBoundsAreInclusive() throws IOException {
        Problems problems = new Problems();
        assertThat(load("network:\n  max_request_body: 1KB\n", problems)
                        .network()
                        .maxRequestBody())
                .isEqualTo(1_000L);
        assertThat(load("network:\n  max_request_body: 100MB\n", problems)
                        .network()
                        .maxRequestBody())
                .isEqualTo(100_000_000L);
        assertThat(load("network:\n  max_request_body: 0.1GB\n", problems)
                        .network()
                        .maxRequestBody())
                .isEqualTo(100_000_000L);
        assertThat(problems.sorted()).isEmpty();
        assertThat(problems("network:\n  max_request_body: 999\n"))
                .containsExactly("opsdeck.yaml:2:21: network.max_request_body: must be between 1KB and 100MB");
        assertThat(problems("network:\n  max_request_body: 100000001\n"))
                .containsExactly("opsdeck.yaml:2:21: network.max_request_body: must be between 1KB and 100MB");
    }
}
