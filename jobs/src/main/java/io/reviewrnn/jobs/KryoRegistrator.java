package io.reviewrnn.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import de.javakaffee.kryoserializers.SynchronizedCollectionsSerializer;
import de.javakaffee.kryoserializers.UnmodifiableCollectionsSerializer;
import org.nd4j.common.primitives.AtomicDouble;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.kryo.primitives.AtomicDoubleSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spark's {@code spark.kryo.registrator} for review-rnn. It does what ND4J's {@code Nd4jRegistrator} does (INDArrays
 * must not go through Kryo's field serializer) without its {@code Nd4j.getBackend()} call, which loads ND4J's native
 * backend in every JVM that creates a Kryo instance, so jobs that never touch an array ({@code prepare}) paid for it
 * in their first task; here any {@link INDArray} implementation gets ND4J's serializer by default. It adds Java
 * serialization for what Spark's Kryo 4 cannot rebuild by reflection on JDK 17: Java records ("can't get field offset
 * on a record class") and the JDK's immutable collections of {@code List.of}/{@code Map.copyOf} (their {@code add}
 * throws while Kryo fills them). Set by default by {@link SparkSessionFactory} and in {@code conf/spark-defaults.conf}.
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(INDArray.class, Nd4jSerializer.class);
        kryo.register(AtomicDouble.class, new AtomicDoubleSerializer());
        UnmodifiableCollectionsSerializer.registerSerializers(kryo);
        SynchronizedCollectionsSerializer.registerSerializers(kryo);
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
