package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.text.PaddingMode;
import io.reviewrnn.core.text.TextSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrepareConfigTest {
    private static PrepareConfig read(String yaml) {
        return Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), PrepareConfig.class,
                "p.yaml");
    }

    @Test
    void builderNamesWhatIsMissingAndEqualsTheYamlConfig() {
        ConfigException noOutput = assertThrows(ConfigException.class,
                () -> PrepareConfig.builder().setInput(CorpusSource.of("raw")).build());
        assertEquals("output", noOutput.key());
        ConfigException noInput = assertThrows(ConfigException.class,
                () -> PrepareConfig.builder().setOutput("out").build());
        assertEquals("input", noInput.key());

        PrepareConfig built = PrepareConfig.builder()
                .setInput(CorpusSource.builder().setPath("raw.csv").optFormat(CorpusFormat.CSV)
                        .optTextColumn("body").optLabels(Map.of("Good", 1, "bad", 0)).build())
                .setOutput("out").optText(new TextSpec(1000, 50, PaddingMode.POST, PaddingMode.PRE, true))
                .optValidationSplit(0.1).optTestSplit(0.25).optOnBadRecord(BadRecordPolicy.SKIP).optPartitions(3)
                .build();
        PrepareConfig read = read("input: {path: raw.csv, format: csv, text_column: body, labels: {Good: 1, bad: 0}}"
                + "\noutput: out\ntext: {num_words: 1000, maxlen: 50, padding: post}\nvalidation_split: 0.1\n"
                + "test_split: 0.25\non_bad_record: skip\npartitions: 3\n");
        assertEquals(read, built);
        assertEquals(built, PrepareConfig.Builder.from(built).build(), "from() keeps every value");
        assertEquals(read("input: {path: raw}\noutput: out\n"), PrepareConfig.of(CorpusSource.of("raw"), "out"),
                "of() takes the YAML defaults");

        ConfigException bad = assertThrows(ConfigException.class,
                () -> PrepareConfig.Builder.from(built).optTestInput(CorpusSource.of("test.csv")).build());
        assertEquals("test_split", bad.key(), bad.getMessage());
    }

    @Test
    void corpusSourceBuilderNamesWhatIsMissingAndKeepsEveryValue() {
        ConfigException noPath = assertThrows(ConfigException.class, () -> CorpusSource.builder().build());
        assertEquals("path", noPath.key());
        CorpusSource s = CorpusSource.builder().setPath("r.parquet").optFormat(CorpusFormat.PARQUET)
                .optTextColumn("t").optLabelColumn("l").optIdColumn("i").optSplitColumn("s").optRatingColumn("r")
                .optLabels(Map.of("yes", 1, "no", 0)).build();
        assertEquals(s, CorpusSource.Builder.from(s).build());
        assertEquals(CorpusSource.of("r.parquet").withFormat(CorpusFormat.PARQUET),
                CorpusSource.builder().setPath("r.parquet").optFormat(CorpusFormat.PARQUET).build());
        ConfigException badLabel = assertThrows(ConfigException.class,
                () -> CorpusSource.builder().setPath("p").optLabels(Map.of("maybe", 2)).build());
        assertTrue(badLabel.getMessage().contains("labels.maybe"), badLabel.getMessage());
    }
}
