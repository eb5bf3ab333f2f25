package io.reviewrnn.jobs.prepare;

/**
 * One encoded review on its way into a split's Parquet file ({@link EncodedParquet}); {@code rating} is null where
 * the corpus has none.
 */
record EncodedRow(String id, int label, Integer rating, int[] ids, int tokenCount, int oovCount, boolean truncated,
                  String split) {
}
