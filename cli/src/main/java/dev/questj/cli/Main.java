package dev.questj.cli;

import dev.questj.system.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quest} command. Exit status: 0 success, 1 the run found a problem it was asked to fail
 * on, 2 bad input (config, options), 70 an internal error.
 */
@Command(name = "quest", mixinStandardHelpOptions = true, version = "Quest/J 0.1.0",
        description = "Quest real-time kernel and Quest-V multikernel on a deterministic virtual multicore.",
        subcommands = {RunCommand.class, ReportCommand.class, CheckCommand.class, GenerateCommand.class, BenchCommand.class, ExperimentCommand.class, AuditCommand.class, CampaignCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL_ERROR = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit status (for tests and embedding). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(Main::exitCodeOf);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("quest: " + ex.getMessage());
            err.println("(see 'quest " + (ex.getCommandLine().getCommandName().equals("quest") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help')");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException ce) {
                err.println(ce.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof UsageException ue) {
                err.println("quest: " + ue.getMessage());
                return BAD_INPUT;
            }
            err.println("quest: internal error: " + ex);
            ex.printStackTrace(err);
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    private static int exitCodeOf(Throwable t) {
        return t instanceof ConfigException || t instanceof UsageException ? BAD_INPUT : INTERNAL_ERROR;
    }

    /** A bad option value found after parsing (e.g. a duration without a unit). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
