package io.reviewrnn.core.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CorpusFormatTest {

    @Test
    void compressedFilesAreGuessedByTheNameUnderTheCompression() {
        assertEquals(CorpusFormat.CSV, CorpusFormat.guess("hdfs:///in/reviews.csv.gz", false));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.guess("reviews.JSONL.bz2", false));
        assertEquals(CorpusFormat.TSV, CorpusFormat.guess("reviews.tsv.zst", false));
        assertEquals(CorpusFormat.TEXT, CorpusFormat.guess("reviews.txt.gz", false));
        assertEquals(CorpusFormat.ACLIMDB, CorpusFormat.guess("aclImdb_v1.tar.gz", false));
        assertEquals(CorpusFormat.CSV, CorpusFormat.guess("reviews.csv", false));
        assertEquals(CorpusFormat.PARQUET, CorpusFormat.guess("out/train.parquet/", true));
    }
}
