package dev.opsdeck.runbook.ssh;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the one command line an SSH server runs for a step. The server hands it to the user's login shell, so
 * everything that comes from a run (script, arguments, environment values) is single-quoted there: the remote
 * shell sees data, never syntax. The step script then runs under a small supervisor:
 * <ul>
 *   <li>the script runs in its own session ({@code setsid}), so its whole process group can be signalled;</li>
 *   <li>a watcher reads the channel's stdin, which only ends when the client closes the channel (timeout,
 *       cancel) or the connection drops; it then sends TERM and, two seconds later, KILL to that group.
 *       OpenSSH sends no hang-up signal to commands without a terminal, so without this a hung command would
 *       outlive its step.</li>
 * </ul>
 * The command starts from an empty environment ({@code env -i}) plus the login shell's PATH, HOME, LANG and TZ
 * and the step's variables. The remote host needs a POSIX login shell, {@code /bin/sh} and {@code setsid}
 * (util-linux).
 */
public final class RemoteCommand {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** What the remote command keeps of the login environment; the rest it gets only from the step. */
    static final List<String> KEPT = List.of("PATH", "HOME", "LANG", "TZ");

    /** $1 is the step script, the rest its arguments; exits with the script's status. */
    static final String SUPERVISOR = "s=$1; shift\n"
            + "exec 3<&0\n"
            + "setsid /bin/sh -c \"$s\" opsdeck-step \"$@\" </dev/null 3<&- &\n"
            + "p=$!\n"
            // a background job's stdin would be /dev/null: the watcher reads the channel through fd 3
            + "(cat >/dev/null; kill -TERM -\"$p\"; sleep 2; kill -KILL -\"$p\") <&3 >/dev/null 2>&1 &\n"
            + "exec 3<&-\n"
            + "wait \"$p\"\n";

    private RemoteCommand() {}

    /**
     * The command line for {@code script} with positional {@code args} ($1, $2...) and {@code env}.
     *
     * @throws IllegalArgumentException for an environment name that is not a shell variable name, or a value
     *         holding a NUL byte (which no command line can carry)
     */
    public static String build(String script, List<String> args, Map<String, String> env) {
        // the login shell's PATH, HOME, LANG and TZ (each only when set there), then the step's own: nothing else of
        // the remote account's environment, as a local step gets nothing else of the server's
        StringBuilder b = new StringBuilder("exec env -i");
        for (String name : KEPT)
            b.append(" ${")
                    .append(name)
                    .append("+\"")
                    .append(name)
                    .append("=$")
                    .append(name)
                    .append("\"}");
        b.append(' ');
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("environment name '" + e.getKey()
                        + "' is not a shell variable name (letters, digits and _, not starting with a digit)");
            }
            b.append(quote(e.getKey() + "=" + e.getValue())).append(' ');
        }
        b.append("/bin/sh -c ")
                .append(quote(SUPERVISOR))
                .append(" opsdeck-supervisor ")
                .append(quote(script));
        for (String arg : args) b.append(' ').append(quote(arg));
        return b.toString();
    }

    /**
     * Single-quotes {@code value} for a POSIX shell: inside single quotes nothing is special, and a single quote
     * itself is written as {@code '\''} (close, escaped quote, reopen). Newlines stay literal.
     */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0)
            throw new IllegalArgumentException("a value holds a NUL byte, which a command line cannot carry");
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
