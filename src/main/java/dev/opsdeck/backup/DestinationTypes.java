package dev.opsdeck.backup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The one table of backup destination types. A new type is one class plus one line here. */
public final class DestinationTypes {
    private final Map<String, DestinationType> types = new LinkedHashMap<>();

    private DestinationTypes() {}

    public static DestinationTypes standard() {
        DestinationTypes t = new DestinationTypes();
        t.add(new LocalDestinationType());
        t.add(new S3DestinationType());
        return t;
    }

    private void add(DestinationType type) {
        types.put(type.name(), type);
    }

    public DestinationType get(String name) {
        return types.get(name);
    }

    /** In the order registered, so messages list them the same every run. */
    public Set<String> names() {
        return types.keySet();
    }

    /** The names as a sentence: "local or s3". */
    String alternatives() {
        List<String> names = List.copyOf(types.keySet());
        if (names.size() < 2) return String.join("", names);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }
}
