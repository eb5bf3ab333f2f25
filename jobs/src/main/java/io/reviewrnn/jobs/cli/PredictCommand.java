package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.inference.InferenceEngine;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.score.ReviewClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code review-rnn predict}: quick checks of a checkpoint on a few texts, in this JVM (no Spark). */
@Command(name = "predict",
        header = "Prints predictions of a checkpoint for a few texts, without Spark.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the probability of a positive review and the predicted label for each text given",
            "as an argument, or for each non-blank line of standard input when there is none (or the text is -).",
            "Output: probability <TAB> positive|negative <TAB> the text's first 60 characters. Needs no Spark."},
        footer = {"", "Examples:",
            "  review-rnn predict --model runs/gru/checkpoints/best \"A wonderful, moving film.\"",
            "  cut -f2 reviews.tsv | review-rnn predict --model runs/gru/checkpoints/best",
            "  review-rnn predict --engine onnx --model runs/gru/onnx \"A wonderful, moving film.\""})
public final class PredictCommand implements Callable<Integer> {
    static final int BATCH = 256;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "CHECKPOINT",
            description = "Checkpoint directory, or champion/previous/vN with --registry (local, file:// or hdfs://);"
                    + " with --engine onnx an export directory.")
    String model;

    @Option(names = "--engine", paramLabel = "dl4j|onnx", defaultValue = "dl4j",
            description = "dl4j (default) runs the checkpoint's network; onnx runs an exported model.onnx in ONNX "
                    + "Runtime.")
    String engine;

    @picocli.CommandLine.Mixin
    ModelReference modelReference;

    @Option(names = "--expected-hash", paramLabel = "SHA256",
            description = "Refuse the checkpoint unless its content hash is this one.")
    String expectedHash;

    @Option(names = "--expect-hash", hidden = true, paramLabel = "SHA256")
    void deprecatedExpectHash(String v) {
        DeprecatedOption.warn(spec, "--expect-hash", "--expected-hash", null);
        expectedHash = v;
    }

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Review texts; none or - reads standard input.")
    List<String> texts = new ArrayList<>();

    /** True when the texts come from standard input. */
    boolean readsStdin() {
        return texts.isEmpty() || (texts.size() == 1 && texts.get(0).equals("-"));
    }

    /** Formats one prediction line. */
    static String line(double p, String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        if (oneLine.length() > 60) {
            oneLine = oneLine.substring(0, 57) + "...";
        }
        return String.format("%.6f\t%s\t%s", p, BinaryMetrics.predictedLabel(p) == 1 ? "positive" : "negative",
                oneLine);
    }

    @Override
    public Integer call() throws IOException {
        InferenceEngine e = InferenceEngine.parse("--engine", engine);
        ReviewClassifier c = ReviewClassifier.load(e == InferenceEngine.DL4J ? modelReference.checkpoint(model) : model,
                expectedHash, e);
        PrintWriter out = spec.commandLine().getOut();
        if (!readsStdin()) {
            predict(c, texts, out);
            return 0;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> batch = new ArrayList<>();
        for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (!l.isBlank()) {
                batch.add(l);
            }
            if (batch.size() == BATCH) {
                predict(c, batch, out);
                batch.clear();
            }
        }
        predict(c, batch, out);
        return 0;
    }

    private static void predict(ReviewClassifier c, List<String> batch, PrintWriter out) {
        double[] p = c.predictTexts(batch);
        for (int i = 0; i < p.length; i++) {
            out.println(line(p[i], batch.get(i)));
        }
        out.flush();
    }
}
