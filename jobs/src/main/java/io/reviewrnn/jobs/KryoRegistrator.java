package io.reviewrnn.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Spark's {@code spark.kryo.registrator} for review-rnn: ND4J's registrations (INDArrays must not go through
 * Kryo's field serializer) plus Java serialization for every Java record, which Spark's Kryo 4 cannot build by
 * reflection ("can't get field offset on a record class"). Set by default by {@link SparkSessionFactory} and in
 * {@code conf/spark-defaults.conf}.
 */
public final class KryoRegistrator extends Nd4jRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        super.registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    }
}
