package io.reviewrnn.jobs.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster}, unchanged except that an averaging round whose size the caller
 * already knows does not run a Spark {@code count()} job first. On exported minibatch paths DL4J counts the paths of
 * every {@code fitPaths} call only for its optional stats, and {@link TrainJob} calls {@code fitPaths} once per
 * averaging round (it lays out exact rounds itself), so the count was one extra Spark job per round: about a third
 * of an epoch for the small reference models on {@code local[2]}.
 */
final class KnownCountTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    private transient long knownCount = -1;

    KnownCountTrainingMaster(Builder builder) {
        super(builder);
    }

    /** The number of elements of the RDD passed to the next fit call; used once, instead of counting it. */
    void nextCount(long n) {
        knownCount = n;
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> data) {
        long n = knownCount;
        knownCount = -1;
        return n >= 0 ? n : super.getTotalDataSetObjectCount(data);
    }
}
