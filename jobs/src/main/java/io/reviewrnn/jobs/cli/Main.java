package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.store.DeserializationFilter;
import picocli.CommandLine;

/**
 * Entry point of the launcher and of {@code spark-submit --class io.reviewrnn.jobs.cli.Main}. It only parses
 * and dispatches; the exit codes are {@link ExitCodes}'.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before anything deserializes: the JVM accepts a serial filter factory only until its first ObjectInputStream.
        DeserializationFilter.install();
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (tests run it with their own output writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ReviewRnnCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        listExitCodes(cl);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine line = ex.getCommandLine();
            var err = line.getErr();
            err.println(line.getColorScheme().errorText(line.getCommandSpec().qualifiedName() + ": "
                    + ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for the options.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean verbose = Boolean.getBoolean("review-rnn.verbose");
            line.getErr().println(line.getColorScheme().errorText(line.getCommandSpec().qualifiedName()
                    + " failed: " + describe(ex)));
            int code = ExitCodes.of(ex);
            boolean expected = code == ExitCodes.USAGE || ex instanceof java.io.IOException
                    || ex instanceof java.io.UncheckedIOException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex.getClass().getName().startsWith("io.reviewrnn");
            if (verbose || !expected) {
                ex.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(run with -Dreview-rnn.verbose=true for the stack trace)");
            }
            return code;
        });
        return cl;
    }

    /** Every command's --help ends with the exit codes, from the one table in {@link ExitCodes}. */
    private static void listExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP);
        cl.getSubcommands().values().forEach(Main::listExitCodes);
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return msg == null || msg.isBlank() ? ex.getClass().getSimpleName() : msg;
    }
}
