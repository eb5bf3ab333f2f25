package io.reviewrnn.jobs.prepare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.jobs.testing.LocalSpark;
import io.reviewrnn.jobs.testing.TestCorpora;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare on the real IMDB archive from ../shared/data (slow: 50,000 reviews). */
@Tag("slow")
class PrepareImdbIT {
    @TempDir
    Path dir;

    @Test
    void preparesTheRealImdbArchive() throws Exception {
        Path archive = TestCorpora.realImdb().orElse(null);
        Assumptions.assumeTrue(archive != null, "the real IMDB archive ../shared/data/aclImdb-labeled.tar.gz is absent");
        SparkSession spark = LocalSpark.get();
        String out = dir.resolve("imdb").toString();
        PrepareResult r = new PrepareJob(PrepareConfig.of(CorpusSource.of(archive.toString()), out)).run(spark);

        assertEquals(20_000, r.count(PreparedLayout.TRAIN));
        assertEquals(5_000, r.count(PreparedLayout.VALIDATION));
        assertEquals(25_000, r.count(PreparedLayout.TEST));
        for (String split : PreparedLayout.SPLITS) {
            Dataset<Row> d = spark.read().parquet(out + "/" + split);
            assertEquals(0, d.filter(size(col("ids")).notEqual(100)).count(), split + ": every sequence is 100 long");
            long distinctIds = d.select(explode(col("ids")).as("id")).distinct().count();
            assertTrue(distinctIds <= 500, split + ": " + distinctIds + " distinct ids");
            long pos = d.filter(col("label").equalTo(1)).count();
            double share = (double) pos / d.count();
            assertTrue(Math.abs(share - 0.5) <= 0.01, split + ": positive share " + share);
            assertEquals(0, d.filter(col("rating").isNull()).count(), split + ": ratings kept");
        }
        assertEquals(497, r.manifest().vocabularySize());
    }
}
