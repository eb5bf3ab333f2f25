package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.registry.ModelRegistry;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/**
 * {@code --registry}: lets {@code --model} of evaluate, score and predict name a registry version ({@code champion},
 * {@code previous}, {@code vN}) instead of a checkpoint directory.
 */
public final class ModelReference {
    @Option(names = "--registry", paramLabel = "PATH", defaultValue = "${env:REVIEW_RNN_REGISTRY}",
            description = "Model registry (local, file:// or hdfs://), so that --model can be champion, previous or "
                    + "vN; default $REVIEW_RNN_REGISTRY.")
    String registry;

    /** The checkpoint directory {@code model} stands for; null stays null (the config file may give it). */
    String checkpoint(String model) {
        boolean symbolic = model != null && model.trim().matches("champion|previous|v\\d+");
        boolean hasRegistry = registry != null && !registry.isBlank();
        if (model == null || (!symbolic && !hasRegistry)) {
            return model; // a checkpoint path: the job checks it when it loads it
        }
        if (!hasRegistry) {
            throw new ConfigException("--model " + model.trim() + " names a registry version: give the registry too"
                    + " (--registry PATH or REVIEW_RNN_REGISTRY)");
        }
        try {
            return ModelRegistry.resolveModel(model, registry, new Configuration()).checkpoint();
        } catch (IOException e) {
            throw new IllegalArgumentException("--model " + model + ": " + e.getMessage(), e);
        }
    }
}
