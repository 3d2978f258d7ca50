package dev.opsdeck.probe;

import dev.opsdeck.probe.types.CommandCheck;
import dev.opsdeck.probe.types.DiskCheck;
import dev.opsdeck.probe.types.FileCheck;
import dev.opsdeck.probe.types.HttpCheck;
import dev.opsdeck.probe.types.PostgresCheck;
import dev.opsdeck.probe.types.ProcessCheck;
import dev.opsdeck.probe.types.PrometheusCheck;
import dev.opsdeck.probe.types.RedisCheck;
import dev.opsdeck.probe.types.SystemdCheck;
import dev.opsdeck.probe.types.TcpCheck;
import dev.opsdeck.probe.types.TlsCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The one table of check types. A new type is one class plus one line here. */
public final class CheckTypes {
    private final Map<String, CheckType> types = new LinkedHashMap<>();

    private CheckTypes() {}

    public static CheckTypes standard() {
        CheckTypes t = new CheckTypes();
        t.add(new HttpCheck());
        t.add(new TcpCheck());
        t.add(new TlsCheck());
        t.add(new PostgresCheck());
        t.add(new RedisCheck());
        t.add(new DiskCheck());
        t.add(new CommandCheck());
        t.add(new PrometheusCheck());
        t.add(new FileCheck());
        t.add(new SystemdCheck());
        t.add(new ProcessCheck());
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
