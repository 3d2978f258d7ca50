package dev.opsdeck.cli;

import dev.opsdeck.api.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opsdeck} command: every subcommand is listed here. */
@Command(name = "opsdeck", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Opsdeck: watch, page, act, keep and guard a self-hosted production stack.",
        subcommands = {
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
                MaintenanceCommand.class,
                OnCallCommand.class,
                RunbookCommand.class,
                RunCommand.class,
                NotifyCommand.class,
                ApiKeyCommand.class,
                AuditCommand.class,
                DoctorCommand.class,
                CommandLine.HelpCommand.class,
                CompletionCommand.class,
                WarmupCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 a check is down or a command failed, 2 invalid input or config,",
                "3 server or store unreachable.", "Docs: docs/ in the repository; config reference: docs/configuration.md"})
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int UNREACHABLE = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("opsdeck: " + e.getMessage());
            return FAILED;
        });
        return cl;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"opsdeck " + Version.current()};
        }
    }
}
