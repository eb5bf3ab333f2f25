package io.reviewrnn.core.retrain;

/**
 * What a retrain run did, as a scheduler sees it through the exit code. Bad usage (unknown option, invalid config)
 * exits with picocli's 2 before anything runs.
 */
public enum RetrainOutcome {
    /** The challenger became champion (also the first run of an empty registry). */
    PROMOTED(0),
    /** The challenger was registered and rejected; the champion is unchanged. Not an error. */
    NOT_PROMOTED(3),
    /** Something failed (including: another retrain holds the lock); the champion is unchanged. */
    FAILED(1);

    private final int exitCode;

    RetrainOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
