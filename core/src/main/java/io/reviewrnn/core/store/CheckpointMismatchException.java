package io.reviewrnn.core.store;

import java.io.IOException;

/** A checkpoint that does not fit what it is used with: another content hash, spec, vocabulary or text spec. */
public final class CheckpointMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointMismatchException(String message) {
        super(message);
    }
}
