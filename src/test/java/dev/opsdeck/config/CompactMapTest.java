package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The small immutable map that running checks keep: order, lookups, equality with the JDK maps, nulls. */
class CompactMapTest {
    private static LinkedHashMap<String, Object> sample() {
        var m = new LinkedHashMap<String, Object>();
        m.put("status", 200);
        m.put("latency_ms", 12.5);
        m.put("body", "ok");
        return m;
    }

    @Test
    void keepsInsertionOrderAndAnswersLookups() {
        Map<String, Object> map = CompactMap.copyOf(sample());
        assertThat(map.keySet()).containsExactly("status", "latency_ms", "body");
        assertThat(map.values()).containsExactly(200, 12.5, "ok");
        assertThat(map.get("latency_ms")).isEqualTo(12.5);
        assertThat(map.get("missing")).isNull();
        assertThat(map.containsKey("body")).isTrue();
        assertThat(map.containsKey("Body")).as("keys are case-sensitive").isFalse();
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void equalsAndHashesLikeTheJdkMaps() {
        var linked = sample();
        Map<String, Object> map = CompactMap.copyOf(linked);
        assertThat(map).isEqualTo(linked);
        assertThat(linked).isEqualTo(map);
        assertThat(map).isEqualTo(new HashMap<>(linked));
        assertThat(map.hashCode()).isEqualTo(linked.hashCode());
        assertThat(map.toString()).isEqualTo(linked.toString());
        linked.put("body", "changed");
        assertThat(map).as("a copy, not a view").isNotEqualTo(linked).containsEntry("body", "ok");
    }

    @Test
    void ofTakesTheFirstNEntriesAndCopiesTheArrays() {
        String[] keys = {"a", "b", "c"};
        Object[] values = {1, 2, 3};
        Map<String, Object> map = CompactMap.of(keys, values, 2);
        keys[0] = "z";
        values[0] = 9;
        assertThat(map).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
        assertThat(CompactMap.of(keys, values, 0)).isEmpty();
        assertThat(CompactMap.copyOf(Map.of())).isEmpty();
    }

    @Test
    void iteratesEveryEntryOnceAndThenStops() {
        Map<String, Object> map = CompactMap.copyOf(sample());
        List<String> seen = new ArrayList<>();
        var it = map.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            seen.add(e.getKey() + "=" + e.getValue());
        }
        assertThat(seen).containsExactly("status=200", "latency_ms=12.5", "body=ok");
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void nullValuesAreKeptAndNullKeysAreSimplyAbsent() {
        var linked = new LinkedHashMap<String, Object>();
        linked.put("error", null);
        linked.put("status", 0);
        Map<String, Object> map = CompactMap.copyOf(linked);
        assertThat(map.containsKey("error")).isTrue();
        assertThat(map.get("error")).isNull();
        assertThat(map).isEqualTo(linked);
        assertThat(map.get(null)).isNull();
        assertThat(map.containsKey(null)).isFalse();
    }

    @Test
    void isImmutable() {
        Map<String, Object> map = CompactMap.copyOf(sample());
        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.remove("status")).isInstanceOf(UnsupportedOperationException.class);
        var it = map.entrySet().iterator();
        it.next();
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThat(map).hasSize(3);
    }
}
