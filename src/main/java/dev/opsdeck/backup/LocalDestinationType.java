package dev.opsdeck.backup;

import dev.opsdeck.config.DestinationDef;
import dev.opsdeck.config.Fields;
import java.nio.file.Path;

/** {@code type: local} — a directory on this host, named by an absolute {@code path}. */
final class LocalDestinationType implements DestinationType {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public CompiledDestination configure(DestinationDef def, Fields f) {
        f.requiredString("path");
        Path path = f.path("path");
        if (path == null) return null;
        if (!path.isAbsolute()) {
            f.problem("path", "must be an absolute path, got \"" + path + "\"", "e.g. /var/backups/opsdeck");
        }
        return new CompiledDestination(def, path.toString(), path, () -> new LocalDestination(def.name(), path));
    }
}
