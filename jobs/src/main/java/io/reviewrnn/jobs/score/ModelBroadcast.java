package io.reviewrnn.jobs.score;

import io.reviewrnn.core.score.PackagedModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * How a {@link PackagedModel} travels to the executors whatever {@code spark.serializer} is (Java or Kryo with any
 * registrator): as its key (engine and content hash) and its Java-serialized bytes, broadcast once. Each JVM
 * deserializes it once per key ({@link #get()}), and {@link PackagedModel#borrow()} then builds one network or ONNX
 * Runtime session per task slot. The key names the engine because an export keeps its checkpoint's content hash.
 */
public final class ModelBroadcast implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, PackagedModel> CACHE = new ConcurrentHashMap<>();

    private final String key;
    private final byte[] bytes;

    private ModelBroadcast(String key, byte[] bytes) {
        this.key = key;
        this.bytes = bytes;
    }

    /** Broadcasts {@code model} once. */
    public static Broadcast<ModelBroadcast> of(SparkSession spark, PackagedModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String key = model.engine().key() + ":" + model.contentHash();
        CACHE.putIfAbsent(key, model); // the driver (and local mode) need no round trip
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new ModelBroadcast(key, out.toByteArray()));
    }

    /** The model, deserialized at most once per JVM, engine and content hash. */
    public PackagedModel get() {
        return CACHE.computeIfAbsent(key, h -> {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return (PackagedModel) in.readObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
