package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.jobs.io.CatalogTable;
import io.reviewrnn.jobs.io.OutputFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table destination of {@code score} checks its partition columns against the predictions' columns; no Spark. */
class PredictionsTableTest {
    private static CatalogTable table(List<String> partitionBy) {
        return CatalogTable.of("output_table", "db.scored", "partition_by", partitionBy, OutputFormat.PARQUET,
                ScoringTask.PREDICTIONS, false);
    }

    @Test
    void partitionColumnsMustBePredictionColumns() {
        assertEquals(OutputFormat.PARQUET, table(List.of("predicted_label", "Model")).taskFormat());
        ConfigException e = assertThrows(ConfigException.class, () -> table(List.of("label", "day")));
        assertEquals("partition_by", e.key());
        assertTrue(e.getMessage().contains("'day'") && e.getMessage().contains("probability"), e.getMessage());
    }

    @Test
    void atLeastOneColumnStaysUnpartitioned() {
        ConfigException e = assertThrows(ConfigException.class, () -> table(List.of(
                ScoringTask.PREDICTIONS.fieldNames())));
        assertEquals("partition_by", e.key());
    }
}
