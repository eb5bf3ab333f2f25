package io.reviewrnn.core.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A checkpoint's {@code network.zip} read as data only. DL4J's {@code ModelSerializer} archive may hold, besides
 * the JSON configuration and the ND4J binary arrays it needs, a {@code preprocessor.bin} that DL4J reads with
 * {@code ObjectInputStream.readObject()} (and {@code ModelSerializer} offers a Java-serialized
 * {@code normalizer.bin}). A checkpoint is data: review-rnn never writes either entry and refuses an archive that
 * holds one, or anything but the entries below, before DL4J sees it. The archive is read exactly as
 * {@code ModelSerializer.restoreMultiLayerNetwork(InputStream, boolean)} of DL4J 1.0.0-M2 reads it
 * ({@code ZipInputStream} over the same bytes), with caps on the number of entries and their inflated size, and
 * DL4J then runs inside {@link DeserializationFilter#guarded} as a second wall. Stateless, thread-safe.
 */
public final class NetworkArchive {
    /** What {@code ModelSerializer.writeModel} writes for a multi-layer network, and all we accept. */
    static final Set<String> ENTRIES = Set.of("configuration.json", "coefficients.bin", "updaterState.bin",
            "noParams.marker");
    /** Entries DL4J reads with Java deserialization. */
    static final Set<String> JAVA_SERIALIZED = Set.of(ModelSerializer.PREPROCESSOR_BIN, ModelSerializer.NORMALIZER_BIN);
    /** Bound on the inflated size of the whole archive (a fast-layer IMDB network inflates to a few MB). */
    static final long MAX_INFLATED_BYTES = 1L << 30;

    private NetworkArchive() {
    }

    /** A network archive that holds something other than the data a network is made of. */
    public static final class UnsafeEntryException extends Checkpoint.CorruptCheckpointException {
        private static final long serialVersionUID = 1L;

        UnsafeEntryException(String message) {
            super(message);
        }
    }

    /**
     * Refuses an archive with a Java-serialized entry, an unknown, duplicated or directory entry, no
     * {@code configuration.json}, or more than {@link #MAX_INFLATED_BYTES} inflated.
     *
     * @param where the archive's name in messages, e.g. {@code hdfs://.../best/network.zip}
     */
    public static void check(byte[] zip, String where) throws IOException {
        Set<String> seen = new HashSet<>();
        long inflated = 0;
        byte[] buf = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (JAVA_SERIALIZED.contains(name)) {
                    throw new UnsafeEntryException(where + " holds " + name + ", a Java-serialized object that DL4J"
                            + " would deserialize with ObjectInputStream; review-rnn never writes one and does not load"
                            + " code from checkpoints. Refusing the checkpoint: re-export it from a trusted run.");
                }
                if (!ENTRIES.contains(name) || e.isDirectory()) {
                    throw new UnsafeEntryException(where + " holds an unexpected entry '" + name + "' (a network"
                            + " archive holds only " + new java.util.TreeSet<>(ENTRIES) + ")");
                }
                if (!seen.add(name)) {
                    throw new UnsafeEntryException(where + " holds entry " + name + " twice");
                }
                for (int n; (n = in.read(buf)) > 0; ) {
                    inflated += n;
                    if (inflated > MAX_INFLATED_BYTES) {
                        throw new UnsafeEntryException(where + " inflates to more than " + MAX_INFLATED_BYTES
                                + " bytes; refusing it");
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new Checkpoint.CorruptCheckpointException(where + " is not a valid zip archive: " + e.getMessage());
        }
        if (!seen.contains("configuration.json")) {
            throw new Checkpoint.CorruptCheckpointException(where + " has no configuration.json (entries: " + seen
                    + ")");
        }
    }

    /**
     * DL4J's {@code ModelSerializer} archive of {@code network}, made deterministic: the same network gives the same
     * bytes whenever it is written (DL4J stamps each zip entry with the current time, so a checkpoint's content hash
     * would otherwise change with the second it was written in). Entries keep their order, names and data.
     */
    public static byte[] write(MultiLayerNetwork network, boolean saveUpdater) throws IOException {
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, dl4j, saveUpdater);
        ByteArrayOutputStream out = new ByteArrayOutputStream(dl4j.size());
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(dl4j.toByteArray()));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                ZipEntry fixed = new ZipEntry(e.getName());
                fixed.setTimeLocal(FIXED_TIME); // a DOS local time as is: no time zone enters the bytes
                zip.putNextEntry(fixed);
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The earliest time a zip entry can hold. */
    private static final java.time.LocalDateTime FIXED_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0);

    /** {@link #check}s the archive, then restores the network with DL4J inside {@link DeserializationFilter#guarded}. */
    public static MultiLayerNetwork restore(byte[] zip, boolean loadUpdater, String where) throws IOException {
        check(zip, where);
        return DeserializationFilter.guarded(() -> {
            try (InputStream in = new ByteArrayInputStream(zip)) {
                return ModelSerializer.restoreMultiLayerNetwork(in, loadUpdater);
            } catch (RuntimeException e) {
                throw new Checkpoint.CorruptCheckpointException(where + " cannot be restored: " + e);
            }
        });
    }
}
