package io.reviewrnn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;

/**
 * Our Kryo registrator must not load ND4J's native backend when a serializer is created (prepare never touches an
 * array, and used to pay for the backend in its first task), yet still ship arrays with ND4J's serializer. The first
 * part needs a JVM in which nothing has touched ND4J, so it runs {@link Probe} in a child JVM and reads its
 * {@code /proc/self/maps}.
 */
class KryoRegistratorTest {

    /** Creates a Kryo serializer with our registrator, ships a value, then an array; reports ND4J's native library. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            SerializerInstance kryo = serializer();
            roundTrip(kryo, List.of("a", "b"), List.class);
            roundTrip(kryo, new java.util.HashMap<>(java.util.Map.of("k", 1)), java.util.Map.class);
            System.out.println("after-kryo nd4j-native-loaded=" + nd4jNativeLoaded());
            INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3);
            System.out.println("array-round-trip=" + a.equals(roundTrip(kryo, a, INDArray.class)));
            System.out.println("after-array nd4j-native-loaded=" + nd4jNativeLoaded());
        }

        static boolean nd4jNativeLoaded() throws IOException {
            return Files.readString(Path.of("/proc/self/maps")).contains("libnd4jcpu");
        }
    }

    static SerializerInstance serializer() {
        return new KryoSerializer(new SparkConf(false).set("spark.kryo.registrator", KryoRegistrator.class.getName()))
                .newInstance();
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(SerializerInstance s, T value, Class<?> type) {
        ClassTag<T> tag = (ClassTag<T>) scala.reflect.ClassTag$.MODULE$.apply(type);
        return s.deserialize(s.serialize(value, tag), tag);
    }

    @Test
    void creatingASerializerDoesNotLoadNd4jButArraysStillShip() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")),
                "needs Linux /proc/self/maps to see which native libraries a JVM loaded");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The --add-opens flags and the like that this JVM got from surefire.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dorg.bytedeco"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("after-kryo nd4j-native-loaded=false"), out);
        assertTrue(out.contains("array-round-trip=true"), out);
        // The probe can see the library: once an array exists, it is loaded.
        assertTrue(out.contains("after-array nd4j-native-loaded=true"), out);
    }

    @Test
    void anyArrayImplementationGoesThroughNd4jsSerializer() {
        SerializerInstance kryo = serializer();
        INDArray view = Nd4j.linspace(DataType.FLOAT, 1, 12, 1).reshape(3, 4).getRow(1);
        INDArray back = roundTrip(kryo, view, INDArray.class);
        assertEquals(view, back);
        assertFalse(back.isView(), "ND4J's serializer writes a dense copy");
    }
}
