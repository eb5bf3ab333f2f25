package io.reviewrnn.jobs.sql;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.Tuple3;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Spark SQL support for review-rnn checkpoints, enabled with
 * {@code --conf spark.sql.extensions=io.reviewrnn.jobs.sql.ReviewSentimentExtensions} (spark-sql, spark-submit in
 * any language, the Thrift server): registers {@code review_sentiment(text)}, the probability that {@code text} is
 * a positive review, with the checkpoint from {@value #CHECKPOINT}, and {@code review_sentiment(text, checkpoint)}
 * with the checkpoint given as a string literal. {@value #EXPECTED_HASH} optionally pins the content hash and
 * {@value #BATCH_SIZE} sets the minibatch (256). The checkpoint is verified when the query is analysed and broadcast
 * once; the function is scored in minibatches with the same per-JVM network pool as {@code score}
 * ({@link BatchReviewSentiment}). Null or blank text gives null.
 */
public final class ReviewSentimentExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {
    public static final String FUNCTION = "review_sentiment";
    public static final String CHECKPOINT = "spark.reviewrnn.checkpoint";
    public static final String EXPECTED_HASH = "spark.reviewrnn.expectedHash";
    public static final String BATCH_SIZE = "spark.reviewrnn.batchSize";

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectFunction(new Tuple3<>(new FunctionIdentifier(FUNCTION),
                new ExpressionInfo(ReviewSentiment.class.getName(), null, FUNCTION,
                        "_FUNC_(text[, checkpoint]) - Probability that text is a positive review, from the review-rnn "
                                + "checkpoint given or set in " + CHECKPOINT + ".", ""),
                new AbstractFunction1<scala.collection.Seq<Expression>, Expression>() {
                    @Override
                    public Expression apply(scala.collection.Seq<Expression> args) {
                        if (args.size() < 1 || args.size() > 2) {
                            throw new IllegalArgumentException(FUNCTION + " takes (text) or (text, checkpoint), got "
                                    + args.size() + " arguments");
                        }
                        return new ReviewSentiment(args);
                    }
                }));
        extensions.injectResolutionRule(new AbstractFunction1<>() {
            @Override
            public BatchReviewSentiment apply(org.apache.spark.sql.SparkSession session) {
                return new BatchReviewSentiment(session);
            }
        });
        return BoxedUnit.UNIT;
    }
}
