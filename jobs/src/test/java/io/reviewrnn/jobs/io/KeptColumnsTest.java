package io.reviewrnn.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Input columns kept for {@code score}: checked against a CSV/TSV header, carried after a raw row's own; no Spark. */
class KeptColumnsTest {
    private static final List<String> HEADER = List.of("id", "review", "day", "shop");

    @Test
    void aKeptColumnMissingFromTheHeaderIsRefusedNamingTheKeyTheValueAndTheColumns() {
        ConfigException e = assertThrows(ConfigException.class, () -> BoundedRecordReader.Columns.ofHeader(
                CorpusSource.of("in.csv"), HEADER, "in.csv", List.of("day", "Shop")));
        assertEquals("keep_columns", e.key());
        assertTrue(e.getMessage().contains("'Shop'") && e.getMessage().contains("[id, review, day, shop]"),
                e.getMessage());
        assertEquals(List.of("shop", "day"), BoundedRecordReader.Columns.ofHeader(CorpusSource.of("in.csv"), HEADER,
                "in.csv", List.of("shop", "day")).kept());
    }

    @Test
    void rowsCarryTheKeptValuesAfterTheirOwnAndBadRecordsCarryNulls() {
        RawRecords records = new RawRecords(CorpusSource.of("in.csv"), null, 100, false, false, "malformed", 2);
        Row good = records.row("r1", null, null, null, "a fine film", "in.csv", null, null,
                new String[] {"2026-12-01", null});
        assertEquals(RawReviews.SCHEMA.size() + 2, good.size());
        assertEquals(RawReviews.schema(List.of("day", "shop")).size(), good.size());
        assertEquals("a fine film", good.getString(RawReviews.SCHEMA.fieldIndex(RawReviews.TEXT)));
        assertEquals("2026-12-01", good.getString(RawReviews.SCHEMA.size()));
        assertNull(good.get(RawReviews.SCHEMA.size() + 1));
        Row bad = records.row("in.csv#3", null, null, null, null, "in.csv", "x,\"y", null);
        assertEquals(RawReviews.SCHEMA.size() + 2, bad.size(), "every row of an input has the same columns");
        assertEquals("malformed", bad.getString(RawReviews.SCHEMA.fieldIndex(RawReviews.ERROR)));
        assertNull(bad.get(RawReviews.SCHEMA.size()));
        assertEquals(RawReviews.SCHEMA.size(), new RawRecords(CorpusSource.of("in.csv"), null, 100, false, false,
                "malformed", 0).row("r1", null, null, null, "t", "in.csv", null, null).size());
    }
}
