package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.retrain.RetrainOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The exit codes of every {@code review-rnn} command, for schedulers and scripts. This is the one place they are
 * defined; {@code --help} of every command lists them from here.
 *
 * <table>
 * <caption>exit codes</caption>
 * <tr><td>0</td><td>success</td></tr>
 * <tr><td>1</td><td>runtime failure: the work started and failed (the message says what happened)</td></tr>
 * <tr><td>2</td><td>usage or configuration error, found before any work started: fix the command line or the
 *     config file the message names</td></tr>
 * <tr><td>3</td><td>retrain ran but did not promote its challenger (not an error)</td></tr>
 * </table>
 */
public final class ExitCodes {
    public static final int OK = CommandLine.ExitCode.OK;
    public static final int FAILED = CommandLine.ExitCode.SOFTWARE;
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    public static final int NOT_PROMOTED = RetrainOutcome.NOT_PROMOTED.exitCode();

    /** The table shown by {@code --help}. */
    static final Map<String, String> HELP = help();

    private ExitCodes() {
    }

    private static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OK + "", "success");
        m.put(FAILED + "", "runtime failure: the work started and failed");
        m.put(USAGE + "", "usage or configuration error, found before any work started");
        m.put(NOT_PROMOTED + "", "retrain ran but did not promote its challenger");
        return m;
    }

    /**
     * The exit code of a command that threw {@code t}: {@link #USAGE} for a configuration error (a
     * {@link ConfigException} or picocli's {@link CommandLine.ParameterException}, also when a job wrapped it),
     * {@link #FAILED} for anything else.
     */
    public static int of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConfigException || c instanceof CommandLine.ParameterException) {
                return USAGE;
            }
        }
        return FAILED;
    }
}
