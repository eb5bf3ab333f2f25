package io.reviewrnn.jobs.cli;

import picocli.CommandLine.Command;

/** The {@code review-rnn} command: one subcommand per pipeline stage. */
@Command(name = "review-rnn",
        mixinStandardHelpOptions = true,
        version = "review-rnn 0.1.0",
        description = "Trains recurrent sentiment classifiers on review corpora with Spark and Deeplearning4j.",
        subcommands = {
            DemoCommand.class,
            GenerateCorpusCommand.class,
            PrepareCommand.class,
            ModelSummaryCommand.class,
            TrainCommand.class,
            ExperimentsCommand.class,
            EvaluateCommand.class,
            ScoreCommand.class,
            PredictCommand.class,
            ExportCommand.class,
            RegistryCommand.class,
            RetrainCommand.class,
        },
        commandListHeading = "%nCommands:%n",
        footer = {"",
            "Runs on the embedded default (local Spark on all cores, local files) unless --master or "
                + "spark-submit says otherwise. Paths may be local, file:// or hdfs://. "
                + "Run 'review-rnn <command> --help' for the options of a command."})
public final class ReviewRnnCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
