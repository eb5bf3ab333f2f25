package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.model.ModelSpecSource;
import io.reviewrnn.core.model.ModelSummary;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code review-rnn model-summary}: a Keras-like table of a model spec's layers and parameters (no Spark). */
@Command(name = "model-summary",
        header = "Prints a Keras-like summary of model specs.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints a Keras-like summary of a model spec: layer, output shape, parameter count, total.")
public final class ModelSummaryCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SPEC", completionCandidates = BundledSpecs.class,
            description = "Model specs: bundled ones by name (${COMPLETION-CANDIDATES}) or YAML files, e.g. "
                    + "conf/models/lstm.yaml.")
    java.util.List<String> specs;

    @Option(names = "--num-words", defaultValue = "500", paramLabel = "N",
            description = "Vocabulary size (default ${DEFAULT-VALUE}).")
    int numWords;

    @Option(names = "--maxlen", defaultValue = "100", paramLabel = "N",
            description = "Sequence length (default ${DEFAULT-VALUE}).")
    int maxlen;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (String s : specs) {
            ModelSpecSource source = ModelSpecSource.resolve(s, new Configuration(), "SPEC");
            ModelSpec m = source.spec();
            out.println("Model: \"" + m.name() + "\"  (" + source.location() + ")");
            out.println(ModelSummary.render(m, numWords, maxlen));
        }
        return 0;
    }
}
