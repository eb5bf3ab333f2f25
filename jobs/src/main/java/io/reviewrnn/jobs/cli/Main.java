package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.store.DeserializationFilter;
import picocli.CommandLine;

/**
 * Entry point of the launcher and of {@code spark-submit --class io.reviewrnn.jobs.cli.Main}. It only parses
 * and dispatches; exit code 0 is success, 1 a failed job, 2 bad usage.
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
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean verbose = Boolean.getBoolean("review-rnn.verbose");
            line.getErr().println(line.getColorScheme().errorText("review-rnn " + line.getCommandName()
                    + " failed: " + describe(ex)));
            if (verbose || !(ex instanceof java.io.IOException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex.getClass().getName().startsWith("io.reviewrnn"))) {
                ex.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(run with -Dreview-rnn.verbose=true for the stack trace)");
            }
            return line.getCommandSpec().exitCodeOnExecutionException();
        });
        return cl;
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return msg == null || msg.isBlank() ? ex.getClass().getSimpleName() : msg;
    }
}
