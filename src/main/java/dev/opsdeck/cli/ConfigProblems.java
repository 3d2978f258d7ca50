package dev.opsdeck.cli;

import dev.opsdeck.config.ConfigException;

/** How commands that read a configuration report what is wrong with it; each answers with exit code 2. */
final class ConfigProblems {
    private ConfigProblems() {}

    /** Each problem as {@code file:line:col: message}, then how many: the output of {@code config check}. */
    static int list(ConfigException e) {
        e.problems().forEach(p -> System.err.println(p));
        System.err.println(e.problems().size() + " problem(s) found");
        return Main.INVALID;
    }

    /** For a command that cannot go on without a valid configuration: a heading, then each problem indented. */
    static int refuse(ConfigException e) {
        System.err.println("opsdeck: the configuration has " + e.problems().size() + " problem(s):");
        e.problems().forEach(p -> System.err.println("  " + p));
        return Main.INVALID;
    }
}
