package io.reviewrnn.core.store;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.function.BinaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide serial filter factory (JEP 290/415) that puts an allowlist on every {@code ObjectInputStream} a
 * thread creates while it is inside {@link #guarded}: the second wall behind {@link NetworkArchive}'s refusal of
 * Java-serialized checkpoint entries. DL4J's {@code ModelSerializer} deserializes {@code preprocessor.bin} with a
 * plain {@code ObjectInputStream}; inside {@link #guarded} such a stream rejects every class (the allowlist is
 * empty: review-rnn writes no Java-serialized model data) and any graph deeper, larger or longer than the limits,
 * so neither a gadget chain nor a deserialization bomb gets to run. Streams created outside {@link #guarded}
 * (Spark's own serialization, for instance) keep the filter they would have had without this factory.
 *
 * <p>A JVM accepts a filter factory only before its first {@code ObjectInputStream}: {@link #install()} is called
 * first thing by the CLI's {@code main}; alternatively start the JVM with
 * {@code -Djdk.serialFilterFactory=io.reviewrnn.core.store.DeserializationFilter} (the tests do). Where neither
 * happened (an executor JVM, which only ever loads networks the driver has verified and serialized itself),
 * {@link #guarded} still runs its work, after logging once that the second wall is missing. Thread-safe.
 */
public final class DeserializationFilter implements BinaryOperator<ObjectInputFilter> {
    private static final Logger LOG = LoggerFactory.getLogger(DeserializationFilter.class);

    /** Classes a checkpoint may hold as Java-serialized objects: none. */
    static final List<String> ALLOWED_CLASSES = List.of();

    /** Rejects every class not in {@link #ALLOWED_CLASSES}, and graphs beyond small limits. */
    public static final ObjectInputFilter ALLOWLIST = ObjectInputFilter.Config.createFilter(
            "maxdepth=10;maxrefs=1000;maxarray=100000;maxbytes=1000000;"
                    + String.join(";", ALLOWED_CLASSES) + (ALLOWED_CLASSES.isEmpty() ? "" : ";") + "!*");

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile boolean warned;

    private final BinaryOperator<ObjectInputFilter> delegate;

    /** The factory as {@code -Djdk.serialFilterFactory} creates it: on top of the JDK's default behaviour. */
    public DeserializationFilter() {
        this((current, next) -> next);
    }

    private DeserializationFilter(BinaryOperator<ObjectInputFilter> delegate) {
        this.delegate = delegate;
    }

    @Override
    public ObjectInputFilter apply(ObjectInputFilter current, ObjectInputFilter next) {
        ObjectInputFilter base = delegate.apply(current, next);
        if (DEPTH.get()[0] == 0) {
            return base;
        }
        return base == null ? ALLOWLIST : ObjectInputFilter.merge(ALLOWLIST, base);
    }

    /**
     * Makes this the JVM's filter factory unless it already is. Returns false (and changes nothing) when the JVM
     * already has another factory or has already created an {@code ObjectInputStream}.
     */
    public static synchronized boolean install() {
        if (installed()) {
            return true;
        }
        BinaryOperator<ObjectInputFilter> previous = ObjectInputFilter.Config.getSerialFilterFactory();
        try {
            ObjectInputFilter.Config.setSerialFilterFactory(new DeserializationFilter(previous));
            return true;
        } catch (IllegalStateException | SecurityException e) {
            LOG.debug("serial filter factory not installed: {}", e.getMessage());
            return false;
        }
    }

    /** True when every {@code ObjectInputStream} of this JVM goes through this factory. */
    public static boolean installed() {
        return ObjectInputFilter.Config.getSerialFilterFactory() instanceof DeserializationFilter;
    }

    /** Work that may create {@code ObjectInputStream}s. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} with {@link #ALLOWLIST} on every {@code ObjectInputStream} this thread creates meanwhile. */
    public static <T, E extends Exception> T guarded(Work<T, E> work) throws E {
        if (!install() && !warned) {
            warned = true;
            LOG.warn("this JVM deserialized Java objects before review-rnn could install its serial filter factory: "
                    + "checkpoint loading relies on the refusal of Java-serialized entries alone (start the JVM with"
                    + " -Djdk.serialFilterFactory={} for the second wall)", DeserializationFilter.class.getName());
        }
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            return work.run();
        } finally {
            depth[0]--;
        }
    }
}
