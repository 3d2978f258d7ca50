package dev.opsdeck.probe;

import dev.opsdeck.probe.types.TcpCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The one table of check types. A new type is one class plus one line here. */
public final class CheckTypes {
    private final Map<String, CheckType> types = new LinkedHashMap<>();

    private CheckTypes() {}

    public static CheckTypes standard() {
        CheckTypes t = new CheckTypes();
        t.add(new TcpCheck());
        return t;
    }

    private void add(CheckType type) {
        types.put(type.name(), type);
    }

    public CheckType get(String name) {
        return types.get(name);
    }

    public Set<String> names() {
        return types.keySet();
    }
}
