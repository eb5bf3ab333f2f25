package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EvaluateConfigTest {
    private static final String HASH = "0f".repeat(32);

    private static EvaluateConfig read(String yaml) {
        return Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), EvaluateConfig.class,
                "e.yaml");
    }

    @Test
    void builderNamesWhatIsMissingAndEqualsTheYamlConfig() {
        CorpusSource in = CorpusSource.of("prepared");
        ConfigException noModel = assertThrows(ConfigException.class,
                () -> EvaluateConfig.builder().setInput(in).build());
        assertEquals("model", noModel.key());
        ConfigException noInput = assertThrows(ConfigException.class,
                () -> EvaluateConfig.builder().setModel("m").optOutput("out").build());
        assertEquals("input", noInput.key());

        // every key away from its default, so a value the builder drops shows as a difference
        EvaluateConfig built = EvaluateConfig.builder().setModel("m")
                .setInput(CorpusSource.builder().setPath("r.jsonl").optFormat(CorpusFormat.JSONL).build())
                .optOutput("out").optExpectedHash(HASH).optBatchSize(64).optMaxReviewChars(900).optPartitions(4)
                .optRocPoints(50).optOverwrite(true).optRunDir("run").build();
        EvaluateConfig read = read("model: m\ninput: {path: r.jsonl, format: jsonl}\noutput: out\nexpected_hash: "
                + HASH + "\nbatch_size: 64\nmax_review_chars: 900\npartitions: 4\nroc_points: 50\noverwrite: true\n"
                + "run_dir: run\n");
        assertEquals(read, built);
        assertEquals(built, EvaluateConfig.Builder.from(built).build(), "from() keeps every value");
        assertEquals(read("model: m\ninput: {path: prepared}\n"), EvaluateConfig.of("m", in, null),
                "of() takes the YAML defaults, without an output");
        assertEquals(1024, EvaluateConfig.of("m", in, null).batchSize(), "evaluate's minibatch, four times score's");
        assertEquals(256, ScoringInput.DEFAULT_BATCH_SIZE);

        ConfigException bad = assertThrows(ConfigException.class,
                () -> EvaluateConfig.Builder.from(built).optRocPoints(1).build());
        assertEquals("roc_points", bad.key(), bad.getMessage());
        ConfigException badHash = assertThrows(ConfigException.class,
                () -> EvaluateConfig.Builder.from(built).optExpectedHash("abc").build());
        assertEquals("expected_hash", badHash.key(), badHash.getMessage());
    }
}
