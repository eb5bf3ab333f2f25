package io.reviewrnn.jobs.prepare;

import io.reviewrnn.core.corpus.PrepareManifest;

/**
 * What {@code prepare} produced.
 *
 * @param output the committed output directory (fully qualified)
 * @param manifest the manifest written next to the data
 * @param seconds wall time of the whole job
 */
public record PrepareResult(String output, PrepareManifest manifest, double seconds) {

    public long count(String split) {
        var s = manifest.splits().get(split);
        return s == null ? 0 : s.count();
    }
}
