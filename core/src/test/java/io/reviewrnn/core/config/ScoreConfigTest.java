package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.inference.InferenceEngine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreConfigTest {
    private static final String HASH = "ab".repeat(32);

    private static ScoreConfig read(String yaml) {
        return Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), ScoreConfig.class,
                "s.yaml");
    }

    @Test
    void builderNamesWhatIsMissingAndEqualsTheYamlConfig() {
        CorpusSource in = CorpusSource.of("in.csv");
        ConfigException noModel = assertThrows(ConfigException.class,
                () -> ScoreConfig.builder().setInput(in).setOutput("out").build());
        assertEquals("model", noModel.key());
        ConfigException noInput = assertThrows(ConfigException.class,
                () -> ScoreConfig.builder().setModel("m").setOutput("out").build());
        assertEquals("input", noInput.key());
        ConfigException noOutput = assertThrows(ConfigException.class,
                () -> ScoreConfig.builder().setModel("m").setInput(in).build());
        assertEquals("output", noOutput.key());

        // every key away from its default, so a value the builder drops shows as a difference
        ScoreConfig built = ScoreConfig.builder().setModel("m")
                .setInput(CorpusSource.builder().setPath("in.csv").optFormat(CorpusFormat.CSV).optTextColumn("body")
                        .build())
                .setOutput("out").optOutputFormat("CSV").optExpectedHash(HASH).optBatchSize(37)
                .optMaxReviewChars(500).optPartitions(3).optProgressSeconds(2).optOverwrite(true)
                .optEngine(InferenceEngine.ONNX).optOutputTable("db.scored").optPartitionBy(List.of("day"))
                .optKeepColumns(List.of("day", "shop")).build();
        ScoreConfig read = read("model: m\ninput: {path: in.csv, format: csv, text_column: body}\noutput: out\n"
                + "output_format: csv\nexpected_hash: " + HASH + "\nbatch_size: 37\nmax_review_chars: 500\n"
                + "partitions: 3\nprogress_seconds: 2\noverwrite: true\nengine: onnx\noutput_table: db.scored\n"
                + "partition_by: [day]\nkeep_columns: [day, shop]\n");
        assertEquals(read, built);
        assertEquals(built, ScoreConfig.Builder.from(built).build(), "from() keeps every value");
        assertEquals(read("model: m\ninput: {path: in.csv}\noutput: out\n"), ScoreConfig.of("m", in, "out"),
                "of() takes the YAML defaults");

        ConfigException bad = assertThrows(ConfigException.class,
                () -> ScoreConfig.Builder.from(built).optOutputTable(null).build());
        assertEquals("partition_by", bad.key(), bad.getMessage());
        ConfigException badBatch = assertThrows(ConfigException.class,
                () -> ScoreConfig.Builder.from(built).optBatchSize(0).build());
        assertEquals("batch_size", badBatch.key(), badBatch.getMessage());
    }
}
