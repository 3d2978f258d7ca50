package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class FastStartTest {
    @Test
    void jettyIsToldTheCacheLineSoItNeedNotAskJmxAndTheOperatorWins() throws Exception {
        String key = FastStart.JETTY_REFERENCES_PER_CACHE_LINE, before = System.getProperty(key);
        try {
            System.clearProperty(key);
            FastStart.tellJettyTheCacheLine();
            // what Jetty would have computed: 64-byte lines, 4-byte references when oops are compressed
            var hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean compressed = Boolean.parseBoolean(
                    hotspot.getVMOption("UseCompressedOops").getValue());
            assertThat(System.getProperty(key)).isEqualTo(compressed ? "16" : "8");

            System.setProperty(key, "4");
            FastStart.tellJettyTheCacheLine();
            assertThat(System.getProperty(key)).isEqualTo("4");
        } finally {
            if (before == null) System.clearProperty(key);
            else System.setProperty(key, before);
        }
    }
}
