package dev.opsdeck.deploy;

import dev.opsdeck.config.OpsdeckConfig;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** What every way into a deploy checks the same way: versions and ids, the length of free text, new ids. */
final class DeployInput {
    /** What a version, an environment and an external id may look like: tags, image references, commit hashes. */
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeployInput() {}

    static void checkVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new DeployRefused(
                    DeployRefused.Reason.INVALID,
                    "version: expected a tag, image or commit (letters, digits, . _ : / @ + -; at most 200), got '"
                            + (version == null ? "" : clip(version)) + "'");
        }
    }

    static String clip(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "dep-" + HexFormat.of().formatHex(b);
    }

    /** "no service 'x'", with the services that do have deploys to choose from. */
    static String unknownService(OpsdeckConfig config, String name) {
        Set<String> deployable = new LinkedHashSet<>();
        config.services().stream().filter(x -> x.deploy() != null).forEach(x -> deployable.add(x.name()));
        return "no service '" + name + "'"
                + (deployable.isEmpty() ? "" : "; services with deploys: " + String.join(", ", deployable));
    }
}
