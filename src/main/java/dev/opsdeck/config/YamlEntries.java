package dev.opsdeck.config;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The entries of a small YAML mapping in their order, as two arrays. A check's mapping of five keys in a
 * {@link java.util.LinkedHashMap} behind an unmodifiable view was ~330 bytes (table, entries, view); this is ~90, and
 * a configuration of 100,000 checks keeps three such mappings per check (the service, its checks, the check) for as
 * long as it runs. Lookups scan, which for a handful of keys is as quick as hashing. Immutable.
 */
final class YamlEntries extends AbstractMap<YamlNode.Key, YamlNode> {
    /** Mappings up to this size are held here; larger ones keep a hash table (see {@link YamlNode#map}). */
    static final int MAX = 16;

    private final YamlNode.Key[] keys;
    private final YamlNode[] values;

    private YamlEntries(YamlNode.Key[] keys, YamlNode[] values) {
        this.keys = keys;
        this.values = values;
    }

    static YamlEntries copyOf(Map<YamlNode.Key, YamlNode> map) {
        YamlNode.Key[] keys = new YamlNode.Key[map.size()];
        YamlNode[] values = new YamlNode[map.size()];
        int n = 0;
        for (var e : map.entrySet()) {
            keys[n] = e.getKey();
            values[n++] = e.getValue();
        }
        return new YamlEntries(keys, values);
    }

    /** The value of the key named {@code name}, or null. */
    YamlNode named(String name) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].name().equals(name)) return values[i];
        }
        return null;
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
    public YamlNode get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) return i;
        }
        return -1;
    }

    @Override
    public Set<Entry<YamlNode.Key, YamlNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<YamlNode.Key, YamlNode>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<YamlNode.Key, YamlNode> next() {
                        if (next >= keys.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
