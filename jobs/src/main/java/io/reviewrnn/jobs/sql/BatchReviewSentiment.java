package io.reviewrnn.jobs.sql;

import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.jobs.score.AppendSentiment;
import io.reviewrnn.jobs.score.ModelBroadcast;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.MapPartitions$;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractPartialFunction;

/**
 * The analyzer rule behind {@code review_sentiment}: a resolved {@code Project} whose SELECT list calls it becomes
 * a {@code Project} over a {@code MapPartitions} node (the plan {@code Dataset.mapPartitions} makes) that appends
 * the probability to each row, scoring a partition in minibatches with the per-JVM network pool
 * ({@link AppendSentiment}), and the call is replaced by a reference to that column. One call is rewritten per
 * application; the analyzer runs the rule until none is left. The checkpoint is loaded, verified (content hash,
 * text spec, vocabulary) and broadcast once per session, checkpoint and expected hash.
 */
final class BatchReviewSentiment extends Rule<LogicalPlan> {
    static final String TEXT = "__review_text";
    static final String PROBABILITY = "__review_sentiment";
    private final SparkSession session;
    private final Map<String, Broadcast<ModelBroadcast>> models = new HashMap<>();

    BatchReviewSentiment(SparkSession session) {
        this.session = session;
    }

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
        return plan.resolveOperatorsUp(new AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
            @Override
            public boolean isDefinedAt(LogicalPlan p) {
                return p instanceof Project project && project.resolved() && call(project) != null;
            }

            @Override
            public LogicalPlan apply(LogicalPlan p) {
                Project project = (Project) p;
                return rewrite(project, call(project));
            }
        });
    }

    /** The first call of the function in the SELECT list, or null. */
    private static ReviewSentiment call(Project project) {
        for (NamedExpression e : JavaConverters.seqAsJavaList(project.projectList())) {
            scala.Option<Expression> found = ((Expression) e).find(new AbstractFunction1<Expression, Object>() {
                @Override
                public Object apply(Expression x) {
                    return x instanceof ReviewSentiment;
                }
            });
            if (found.isDefined()) {
                return (ReviewSentiment) found.get();
            }
        }
        return null;
    }

    private LogicalPlan rewrite(Project project, ReviewSentiment call) {
        List<Expression> args = call.args();
        Expression text = args.get(0);
        if (!text.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(ReviewSentimentExtensions.FUNCTION + "(text): text must be a string, was "
                    + text.dataType().simpleString() + " in " + call.sql());
        }
        LogicalPlan child = project.child();
        List<Attribute> childOutput = JavaConverters.seqAsJavaList(child.output());
        List<NamedExpression> inner = new ArrayList<>(childOutput);
        inner.add(alias(text, TEXT, NamedExpression$.MODULE$.newExprId(), Option.empty()));
        Project withText = new Project(seq(inner), child);
        StructType in = withText.schema();
        StructType out = in.add(PROBABILITY, DataTypes.DoubleType, true);
        AppendSentiment score = new AppendSentiment(model(args), batchSize(), in.size() - 1, false);
        LogicalPlan mapped = MapPartitions$.MODULE$.apply(new Partitions(score), withText, Encoders.row(in),
                Encoders.row(out));
        List<Attribute> mappedOutput = JavaConverters.seqAsJavaList(mapped.output());
        Map<ExprId, Attribute> renamed = new HashMap<>();
        for (int i = 0; i < childOutput.size(); i++) {
            renamed.put(childOutput.get(i).exprId(), mappedOutput.get(i));
        }
        Attribute probability = mappedOutput.get(mappedOutput.size() - 1);
        List<NamedExpression> select = new ArrayList<>();
        for (NamedExpression e : JavaConverters.seqAsJavaList(project.projectList())) {
            if (e instanceof AttributeReference a) {
                // keep the attribute's id and qualifier, so operators above still find it
                select.add(alias(renamed.get(a.exprId()), a.name(), a.exprId(), Option.apply(a.qualifier())));
            } else {
                // top-down, so the call is replaced before its arguments are renamed (it would no longer equal call)
                select.add((NamedExpression) ((Expression) e).transformDown(new AbstractPartialFunction<>() {
                    @Override
                    public boolean isDefinedAt(Expression x) {
                        return x == call || x.equals(call)
                                || x instanceof AttributeReference a && renamed.containsKey(a.exprId());
                    }

                    @Override
                    public Expression apply(Expression x) {
                        return x instanceof ReviewSentiment ? probability
                                : renamed.get(((AttributeReference) x).exprId());
                    }
                }));
            }
        }
        return new Project(seq(select), mapped);
    }

    private static Alias alias(Expression e, String name, ExprId id, Option<Seq<String>> qualifier) {
        Seq<String> q = qualifier.isDefined() ? qualifier.get() : seq(List.<String>of());
        return new Alias(e, name, id, q, Option.empty(), seq(List.<String>of()));
    }

    private static <T> Seq<T> seq(List<T> list) {
        return JavaConverters.asScalaBuffer(list).toSeq();
    }

    private int batchSize() {
        String v = session.conf().get(ReviewSentimentExtensions.BATCH_SIZE, "256");
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(ReviewSentimentExtensions.BATCH_SIZE + " must be an integer > 0, was " + v);
    }

    /** The checkpoint of this call (its argument, else the session's conf), loaded and broadcast once. */
    private synchronized Broadcast<ModelBroadcast> model(List<Expression> args) {
        String checkpoint;
        if (args.size() > 1) {
            Expression c = args.get(1);
            if (!c.foldable() || !c.dataType().equals(DataTypes.StringType)) {
                throw new IllegalArgumentException(ReviewSentimentExtensions.FUNCTION
                        + "(text, checkpoint): checkpoint must be a string literal, was " + c.sql());
            }
            Object v = c.eval(null);
            checkpoint = v == null ? null : ((UTF8String) v).toString();
        } else {
            checkpoint = session.conf().get(ReviewSentimentExtensions.CHECKPOINT, null);
        }
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException(ReviewSentimentExtensions.FUNCTION + " needs a checkpoint: set "
                    + ReviewSentimentExtensions.CHECKPOINT + " or pass it as the second argument");
        }
        String hash = session.conf().get(ReviewSentimentExtensions.EXPECTED_HASH, null);
        String key = checkpoint + "#" + hash;
        Broadcast<ModelBroadcast> b = models.get(key);
        if (b == null) {
            try {
                b = ModelBroadcast.of(session, PackagedModel.load(checkpoint, hash == null || hash.isBlank() ? null
                        : hash, session.sparkContext().hadoopConfiguration()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load checkpoint " + checkpoint + ": " + e.getMessage(), e);
            }
            models.put(key, b);
        }
        return b;
    }

    /** {@link AppendSentiment} as the Scala function {@code MapPartitions} takes. */
    private static final class Partitions
            extends AbstractFunction1<scala.collection.Iterator<Row>, scala.collection.Iterator<Row>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final AppendSentiment f;

        Partitions(AppendSentiment f) {
            this.f = f;
        }

        @Override
        public scala.collection.Iterator<Row> apply(scala.collection.Iterator<Row> rows) {
            return JavaConverters.asScalaIterator(f.call(JavaConverters.asJavaIterator(rows)));
        }
    }
}
