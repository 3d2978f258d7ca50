package dev.opsdeck.config;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of a few entries in insertion order, held as two arrays. Each running check keeps small maps
 * (its last result's measured values, its alerts' labels) for as long as it runs: a {@link java.util.LinkedHashMap} of
 * three to six entries is ~300 bytes of entries and table, this is two small arrays. Lookups scan, which for a
 * handful of keys is as quick as hashing. Not for large maps.
 */
public final class CompactMap<V> extends AbstractMap<String, V> {
    private final String[] keys;
    private final Object[] values;

    private CompactMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** The first {@code n} keys and values, copied; an empty map when {@code n} is 0. */
    public static <V> Map<String, V> of(String[] keys, Object[] values, int n) {
        return n == 0 ? Map.of() : new CompactMap<>(Arrays.copyOf(keys, n), Arrays.copyOf(values, n));
    }

    /** A copy of {@code map}, in its iteration order. */
    public static <V> Map<String, V> copyOf(Map<String, ? extends V> map) {
        String[] keys = new String[map.size()];
        Object[] values = new Object[map.size()];
        int n = 0;
        for (var e : map.entrySet()) {
            keys[n] = e.getKey();
            values[n++] = e.getValue();
        }
        return of(keys, values, n);
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) return i;
        }
        return -1;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<String, V> next() {
                        if (next >= keys.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], (V) values[i]);
                    }
                };
            }
        };
    }
}
