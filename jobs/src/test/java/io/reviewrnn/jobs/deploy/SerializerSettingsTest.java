package io.reviewrnn.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;

/**
 * The serializer that {@code conf/spark-defaults.conf} configures must round-trip what our jobs ship through
 * {@code spark.serializer}: broadcast {@link SequenceEncoder}s (records inside), ND4J arrays and DataSets
 * (parameter broadcasts and averaging results). The Kryo-with-{@code Nd4jRegistrator} variant is measured next to
 * it, so the choice in the file is backed by evidence (sizes are logged).
 */
class SerializerSettingsTest {
    private static final Logger LOG = LoggerFactory.getLogger(SerializerSettingsTest.class);

    static Serializer configured() {
        Map<String, String> conf = DeployFiles.sparkDefaults();
        SparkConf sc = new SparkConf(false);
        conf.forEach(sc::set);
        String name = sc.get("spark.serializer", JavaSerializer.class.getName());
        return name.equals(KryoSerializer.class.getName()) ? new KryoSerializer(sc) : new JavaSerializer(sc);
    }

    static SerializerInstance kryoWithNd4jRegistrator() {
        return new KryoSerializer(new SparkConf(false).set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator"))
                .newInstance();
    }

    static <T> T roundTrip(SerializerInstance s, T value, Class<T> type) {
        ClassTag<T> tag = scala.reflect.ClassTag$.MODULE$.apply(type);
        ByteBuffer buf = s.serialize(value, tag);
        return s.deserialize(buf, tag);
    }

    static SequenceEncoder encoder() {
        Vocabulary v = Vocabulary.ofRanked(List.of(new WordCount("the", 10), new WordCount("movie", 5)));
        return new SequenceEncoder(TextSpec.defaults(), v);
    }

    @Test
    void theDeployDefaultsMatchTheLauncherDefaults() {
        Map<String, String> conf = DeployFiles.sparkDefaults();
        assertEquals(KryoSerializer.class.getName(), conf.get("spark.serializer"));
        assertEquals(io.reviewrnn.jobs.KryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
    }

    @Test
    void theConfiguredSerializerRoundTripsWhatOurJobsShip() {
        SerializerInstance s = configured().newInstance();
        SequenceEncoder enc = roundTrip(s, encoder(), SequenceEncoder.class);
        assertEquals(TextSpec.defaults(), enc.spec());
        assertArrayEquals(encoder().encode("the movie the").ids(), enc.encode("the movie the").ids());

        INDArray params = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 9353);
        assertEquals(params, roundTrip(s, params, INDArray.class));
        DataSet ds = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 100),
                Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 1));
        assertEquals(ds.getFeatures(), roundTrip(s, ds, DataSet.class).getFeatures());

        // Broadcast to executors reading or writing through a Hadoop file system (prepare, minibatch export): a
        // Configuration held only in a transient field would arrive null under Kryo (it did on the rig).
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration(false);
        hadoop.set("fs.defaultFS", "hdfs://127.0.0.1:19000");
        org.datavec.spark.util.SerializableHadoopConfig shipped = roundTrip(s,
                new org.datavec.spark.util.SerializableHadoopConfig(hadoop),
                org.datavec.spark.util.SerializableHadoopConfig.class);
        assertEquals("hdfs://127.0.0.1:19000", shipped.getConfiguration().get("fs.defaultFS"));
    }

    /**
     * Why review-rnn ships its own registrator: ND4J's alone breaks on the records prepare broadcasts. If this starts
     * passing, the record rule in {@code io.reviewrnn.jobs.KryoRegistrator} can go.
     */
    @Test
    void kryoCannotSerializeTheRecordsPrepareBroadcasts() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(com.esotericsoftware.kryo.KryoException.class,
                () -> roundTrip(kryoWithNd4jRegistrator(), encoder(), SequenceEncoder.class));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("record"), root.toString());
    }

    @Test
    void kryoWithNd4jRegistratorHandlesArraysButMeasureWhatItSaves() {
        INDArray params = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 100_000);
        SerializerInstance kryo = kryoWithNd4jRegistrator();
        SerializerInstance java = new JavaSerializer(new SparkConf(false)).newInstance();
        ClassTag<INDArray> tag = scala.reflect.ClassTag$.MODULE$.apply(INDArray.class);
        int kryoBytes = kryo.serialize(params, tag).remaining();
        int javaBytes = java.serialize(params, tag).remaining();
        assertEquals(params, roundTrip(kryo, params, INDArray.class));
        LOG.info("100k-float INDArray: Kryo+Nd4jRegistrator {} bytes, Java serialization {} bytes", kryoBytes,
                javaBytes);
        assertTrue(kryoBytes >= 400_000 && javaBytes >= 400_000, "both carry the raw floats");
    }
}
