package io.reviewrnn.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Spark's {@code spark.kryo.registrator} for review-rnn: ND4J's registrations (INDArrays must not go through
 * Kryo's field serializer) plus Java serialization for what Spark's Kryo 4 cannot rebuild by reflection on JDK 17:
 * Java records ("can't get field offset on a record class") and the JDK's immutable collections of
 * {@code List.of}/{@code Map.copyOf} (their {@code add} throws while Kryo fills them). Set by default by
 * {@link SparkSessionFactory} and in {@code conf/spark-defaults.conf}.
 */
public final class KryoRegistrator extends Nd4jRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        super.registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
        for (String immutable : new String[] {"java.util.ImmutableCollections$AbstractImmutableCollection",
            "java.util.ImmutableCollections$AbstractImmutableMap"}) {
            try {
                kryo.addDefaultSerializer(Class.forName(immutable), JavaSerializer.class);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("this JDK has no " + immutable, e);
            }
        }
    }
}
