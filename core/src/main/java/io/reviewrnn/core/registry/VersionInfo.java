package io.reviewrnn.core.registry;

/**
 * A version with its current status.
 *
 * @param record what was registered
 * @param status derived status
 * @param reason why it was rejected or retired, or null
 * @param path the version directory
 */
public record VersionInfo(VersionRecord record, VersionStatus status, String reason, String path) {
    public int version() {
        return record.version();
    }

    /** The checkpoint directory inside the version. */
    public String checkpoint() {
        return path + "/" + ModelRegistry.CHECKPOINT_DIR;
    }
}
