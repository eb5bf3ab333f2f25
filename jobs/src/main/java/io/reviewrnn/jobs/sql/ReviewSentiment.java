package io.reviewrnn.jobs.sql;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.IndexedSeq;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * {@code review_sentiment(text [, checkpoint])} as it appears in a query: a marker that {@link BatchReviewSentiment}
 * replaces during analysis by a minibatched scoring node, so it is never evaluated row by row.
 */
public final class ReviewSentiment extends Expression {
    private static final long serialVersionUID = 1L;
    private final Seq<Expression> arguments;

    public ReviewSentiment(Seq<Expression> arguments) {
        this.arguments = arguments;
    }

    List<Expression> args() {
        return JavaConverters.seqAsJavaList(arguments);
    }

    @Override
    public Seq<Expression> children() {
        return arguments;
    }

    @Override
    public Expression withNewChildrenInternal(IndexedSeq<Expression> newChildren) {
        return new ReviewSentiment(newChildren.toSeq());
    }

    @Override
    public boolean nullable() {
        return true;
    }

    @Override
    public DataType dataType() {
        return DataTypes.DoubleType;
    }

    @Override
    public String prettyName() {
        return ReviewSentimentExtensions.FUNCTION;
    }

    @Override
    public Object eval(InternalRow input) {
        throw new UnsupportedOperationException(ReviewSentimentExtensions.FUNCTION
                + " is scored in minibatches and can only be used in a SELECT list; is "
                + ReviewSentimentExtensions.class.getName() + " in spark.sql.extensions?");
    }

    @Override
    public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
        throw new UnsupportedOperationException(ReviewSentimentExtensions.FUNCTION + " has no generated code");
    }

    @Override
    public int productArity() {
        return 1;
    }

    @Override
    public Object productElement(int n) {
        if (n != 0) {
            throw new IndexOutOfBoundsException(String.valueOf(n));
        }
        return arguments;
    }

    @Override
    public boolean canEqual(Object that) {
        return that instanceof ReviewSentiment;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReviewSentiment r && r.arguments.equals(arguments);
    }

    @Override
    public int hashCode() {
        return arguments.hashCode();
    }
}
