package io.reviewrnn.core.store;

import java.io.IOException;

/** A job's output already exists and overwriting was not asked for, or it is not ours to replace. */
public class OutputExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(String path) {
        super("output already exists: " + path + " (pass --overwrite to replace it)");
    }

    /** An existing output that {@code --overwrite} must not replace, and why. */
    public OutputExistsException(org.apache.hadoop.fs.Path path, String why) {
        super("refusing to replace " + path + ": " + why + "; choose another output or remove it yourself");
    }
}
