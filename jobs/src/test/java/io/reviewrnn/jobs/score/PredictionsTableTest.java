package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.jobs.io.CatalogTable;
import io.reviewrnn.jobs.io.OutputFormat;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.jobs.io.RawReviews;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The predictions' columns with kept input columns, and the table destination of {@code score} checking its
 * partition columns against them; no Spark.
 */
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
    void keptColumnsFollowThePredictionsAndCanBePartitionColumns() {
        StructType schema = ScoringTask.predictions(List.of("day", "product_id"));
        assertEquals(ScoringTask.PREDICTIONS.size() + 2, schema.size());
        assertEquals("day", schema.fieldNames()[ScoringTask.PREDICTIONS.size()]);
        assertEquals(DataTypes.StringType, schema.apply("product_id").dataType());
        assertEquals(ScoringTask.PREDICTIONS, ScoringTask.predictions(List.of()));
        assertEquals(OutputFormat.PARQUET, CatalogTable.of("output_table", "t", "partition_by", List.of("day"),
                OutputFormat.PARQUET, schema, false).taskFormat());
    }

    @Test
    void aKeptColumnThePredictionsAlreadyHaveIsRefusedNamingTheKeyAndValue() {
        for (String name : new String[] {"label", "Probability", "ID"}) {
            ConfigException clash = assertThrows(ConfigException.class,
                    () -> ScoringTask.predictions(List.of("day", name)));
            assertEquals("keep_columns", clash.key());
            assertTrue(clash.getMessage().contains("'" + name + "'")
                    && clash.getMessage().contains("must not name a column the predictions already have"),
                    clash.getMessage());
        }
    }

    @Test
    void aScoredRowCarriesTheKeptValuesAfterThePredictionColumns() {
        var layout = new ScoringTask.Layout("m", "ab12", 2);
        Row raw = RawReviews.row("r7", null, 1, null, "a fine film", "f.csv id r7", null, 2,
                new String[] {"2026-12-01", null});
        Row scored = layout.scored(raw, new EncodedReview(new int[] {4, 5}, 3, 1, false), 0.75);
        assertEquals(ScoringTask.PREDICTIONS.size() + 2, scored.size());
        assertEquals("r7", scored.getString(0));
        assertEquals(1, scored.getInt(1));
        assertEquals(0.75, scored.getDouble(2));
        assertEquals("2026-12-01", scored.getString(ScoringTask.PREDICTIONS.size()));
        assertTrue(scored.isNullAt(ScoringTask.PREDICTIONS.size() + 1));
        assertEquals(ScoringTask.PREDICTIONS.size(), new ScoringTask.Layout("m", "ab12", 0).scored(
                RawReviews.row("r8", null, null, null, "x", "s", null), new EncodedReview(new int[] {4}, 1, 0, false),
                0.2).size(), "without kept columns the rows are as before");
    }

    @Test
    void atLeastOneColumnStaysUnpartitioned() {
        ConfigException e = assertThrows(ConfigException.class, () -> table(List.of(
                ScoringTask.PREDICTIONS.fieldNames())));
        assertEquals("partition_by", e.key());
    }
}
