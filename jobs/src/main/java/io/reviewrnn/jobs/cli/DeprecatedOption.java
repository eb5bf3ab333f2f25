package io.reviewrnn.jobs.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Old option spellings still accepted: each prints one warning line naming its replacement, so scripts keep working
 * while they are updated. The old spelling is a hidden option whose setter calls {@link #warn} and sets the new
 * option's field.
 */
final class DeprecatedOption {
    private DeprecatedOption() {
    }

    /** Prints {@code "<command>: --old is deprecated, use --now<why>"} to the command's error stream. */
    static void warn(CommandSpec spec, String old, String now, String why) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + old + " is deprecated, use " + now
                + (why == null || why.isEmpty() ? "" : " (" + why + ")"));
        spec.commandLine().getErr().flush();
    }
}
