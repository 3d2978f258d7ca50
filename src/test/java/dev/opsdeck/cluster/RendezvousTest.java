package dev.opsdeck.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    @Test
    void checksSpreadEvenlyAndOnlyTheLostNodesChecksMove() {
        List<String> three = List.of("node-a", "node-b", "node-c");
        List<String> two = List.of("node-a", "node-c");
        Map<String, Integer> counts = new HashMap<>();
        int moved = 0;
        for (int i = 0; i < 3_000; i++) {
            String check = "service-" + (i % 50) + "/check-" + i;
            String before = Rendezvous.owner(check, three);
            counts.merge(before, 1, Integer::sum);
            String after = Rendezvous.owner(check, two);
            if (!before.equals("node-b")) assertThat(after).as(check).isEqualTo(before);
            else moved++;
        }
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
        assertThat(moved).isEqualTo(counts.get("node-b"));
        assertThat(Rendezvous.owner("x", List.of())).isNull();
    }

    @Test
    void theDefaultNodeIdIsTheHostAndADigestOfTheDataDir() {
        String a = NodeIdentity.derived("Web-1.example.com", "/var/lib/opsdeck");
        assertThat(a).matches("web-1\\.example\\.com-[0-9a-f]{8}");
        assertThat(NodeIdentity.derived("Web-1.example.com", "/var/lib/opsdeck"))
                .isEqualTo(a);
        assertThat(NodeIdentity.derived("Web-1.example.com", "/var/lib/opsdeck2"))
                .isNotEqualTo(a);
        assertThat(dev.opsdeck.config.ServerConfig.NODE_ID.matcher(a).matches()).isTrue();
    }
}
