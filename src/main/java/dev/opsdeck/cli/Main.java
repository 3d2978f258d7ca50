package dev.opsdeck.cli;

import dev.opsdeck.config.BuildVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opsdeck} command: every subcommand is listed here. */
@Command(
        name = "opsdeck",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Opsdeck: watch, page, act, keep and guard a self-hosted production stack.",
        footer = {
            "",
            "Exit codes: 0 ok, 1 a check is down or a command failed, 2 invalid input or config,",
            "3 server or store unreachable.",
            "Docs: docs/ in the repository; config reference: docs/configuration.md"
        })
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int UNREACHABLE = 3;

    /** In the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            ServeCommand.class,
            DemoCommand.class,
            ConfigCommand.class,
            StatusCommand.class,
            CheckCommand.class,
            IncidentCommand.class,
            SilenceCommand.class,
            ReviewCommand.class,
            BackupCommand.class,
            DrillCommand.class,
            ScheduleCommand.class,
            ClusterCommand.class,
            CredentialCommand.class,
            CertificateCommand.class,
            MaintenanceCommand.class,
            OnCallCommand.class,
            RunbookCommand.class,
            RunCommand.class,
            ChecklistCommand.class,
            DeployCommand.class,
            NotifyCommand.class,
            ApiKeyCommand.class,
            AuditCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class,
            CompletionCommand.class,
            WarmupCommand.class);
    /** Subcommands that read the whole tree (the help index, the completion script). */
    private static final Set<String> WHOLE_TREE = Set.of("help", "completion");

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree that {@code args} needs. picocli builds every command it is given by reflection
     * before parsing; for the whole tree that took a third of the server's start-up, so when the first
     * argument names a subcommand only that one is built. Anything else (no argument, an option, a typo,
     * help) gets the whole tree and with it the usual usage message and suggestions.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length == 0 || WHOLE_TREE.contains(args[0]) ? null : named(args[0]);
        for (Class<?> sub : only != null ? List.of(only) : SUBCOMMANDS) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("opsdeck: " + e.getMessage());
            return FAILED;
        });
        // picocli skips its checks when --help is given, so "opsdeck UNKNOWN --help" printed the top-level help and
        // exited 0: a script would take a typo for success. Leftover words are an error with or without --help.
        cl.setExecutionStrategy(parsed -> {
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (!p.unmatched().isEmpty()) {
                    // thrown, so execute() answers it like any other usage error: message, suggestions, exit 2
                    throw new CommandLine.UnmatchedArgumentException(
                            p.commandSpec().commandLine(), p.unmatched());
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }

    private static Class<?> named(String name) {
        for (Class<?> sub : SUBCOMMANDS) {
            Command command = sub.getAnnotation(Command.class);
            if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) return sub;
        }
        return null;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"opsdeck " + BuildVersion.current()};
        }
    }
}
