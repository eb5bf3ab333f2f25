package io.reviewrnn.core.registry;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.PaddingMode;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Tiny real checkpoints (an untrained embedding + SimpleRNN(2) network over an 8-word vocabulary) whose content
 * depends on a seed, for registry tests: the registry verifies what it stores, so fakes would be refused.
 */
public final class RegistryFixtures {
    public static final TextSpec TEXT = new TextSpec(8, 5, PaddingMode.PRE, PaddingMode.PRE, true);
    public static final ModelSpec SPEC = ModelSpec.builder().setName("fixture-rnn")
            .setKind(ModelSpec.Kind.SIMPLE_RNN).setInput(ModelSpec.Input.embedding(2)).setUnits(2)
            .optOptimizer(ModelSpec.Optimizer.rmsprop(1e-3)).optSeed(7L).optImpl(ModelSpec.Impl.FAST).build();
    private static MultiLayerNetwork network;

    private RegistryFixtures() {
    }

    /** Writes a complete checkpoint {@code dir} on {@code fs} whose metadata (and so hash) depends on {@code seed}. */
    public static Path checkpoint(FileSystem fs, Path dir, int seed) throws IOException {
        Checkpoint.Metadata meta = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, "best", seed,
                Instant.EPOCH.toString(), SPEC.name(), network().numParams(), TEXT, "fixture-corpus-" + seed, null,
                null, null, List.of());
        Checkpoint.write(fs, dir, network(), vocabulary(), SPEC, meta);
        return dir;
    }

    /** The fixtures' vocabulary: five words, ids 3 to 7. */
    public static Vocabulary vocabulary() {
        return Vocabulary.ofRanked(List.of(new WordCount("the", 50), new WordCount("movie", 40),
                new WordCount("good", 30), new WordCount("bad", 20), new WordCount("plot", 10)));
    }

    private static synchronized MultiLayerNetwork network() {
        if (network == null) {
            network = ModelFactory.network(SPEC, TEXT.numWords());
        }
        return network;
    }

    public static void write(FileSystem fs, Path p, String content) throws IOException {
        try (OutputStream out = fs.create(p, true)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
