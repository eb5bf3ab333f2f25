package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.export.ExportResult;
import io.reviewrnn.core.export.OnnxExporter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn export}: a checkpoint as a portable ONNX model directory (no Spark). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Exports a checkpoint as a portable ONNX model with its vocabulary and text spec.",
        description = {"Writes a checkpoint as a portable model that runs without review-rnn: model.onnx (token ids",
            "int64 [batch, maxlen] in, probability float [batch, 1] out), vocabulary.tsv and text_spec.json (how to",
            "encode text exactly as training did) and export.json (the checkpoint's content hash, opset, shapes).",
            "The model is checked in ONNX Runtime against the checkpoint before it is published; a network that ONNX",
            "cannot express exactly is refused with the reason. Needs no Spark."},
        footer = {"", "Examples:",
            "  review-rnn export --model runs/gru/checkpoints/best --format onnx --output runs/gru/onnx",
            "  review-rnn predict --engine onnx --model runs/gru/onnx \"A wonderful, moving film.\""})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "CHECKPOINT",
            description = "Checkpoint directory, or champion/previous/vN with --registry (local, file:// or hdfs://).")
    String model;

    @Mixin
    ModelReference modelReference;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "Export format: onnx (the only one; default).")
    String format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Output directory (local, file:// or hdfs://), committed atomically.")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (!"onnx".equalsIgnoreCase(format.trim())) {
            throw new IllegalArgumentException("--format " + format + " is not supported; the only format is onnx");
        }
        ExportResult r = OnnxExporter.export(modelReference.checkpoint(model), output, overwrite, new Configuration());
        var out = spec.commandLine().getOut();
        out.printf("exported %s (checkpoint sha256 %s) to %s in %.1f s%n", r.modelName(), r.checkpointSha256(),
                r.output(), r.seconds());
        r.bytes().forEach((name, size) -> out.printf("  %-15s %,d bytes%n", name, size));
        out.printf("  checked in %s on %d reviews: max |p_onnx - p_dl4j| = %.2g%n", r.verification().runtime(),
                r.verification().reviews(), r.verification().maxAbsDiff());
        return 0;
    }
}
