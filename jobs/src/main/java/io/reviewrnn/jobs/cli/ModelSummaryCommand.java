package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.model.ModelSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code review-rnn model-summary}: a Keras-like table of a model spec's layers and parameters (no Spark). */
@Command(name = "model-summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints a Keras-like summary of a model spec: layer, output shape, parameter count, total.")
public final class ModelSummaryCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "Model spec YAML file(s), e.g. conf/models/lstm.yaml.")
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
            ModelSpec m = ModelSpec.load(s);
            out.println("Model: \"" + m.name() + "\"  (" + s + ")");
            out.println(ModelSummary.render(m, numWords, maxlen));
        }
        return 0;
    }
}
