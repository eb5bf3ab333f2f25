package io.reviewrnn.jobs.train;

import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * The run directory could not be written at the end of an epoch (HDFS down, no DataNode, quota, permissions).
 * Checkpoints are committed atomically, so the previous best and last checkpoints are intact; the message says so
 * and how to continue.
 */
public final class CheckpointWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointWriteException(int epoch, Path runDir, IOException cause) {
        super("epoch " + epoch + " trained, but its checkpoint could not be written to " + runDir + ": "
                + cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage())
                + ". The checkpoints of the earlier epochs are intact (checkpoints are committed atomically); once "
                + "the file system is writable again, continue with: review-rnn train --resume " + runDir, cause);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
