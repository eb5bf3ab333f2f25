package io.reviewrnn.core.store;

import java.io.IOException;

/** A job's output already exists and overwriting was not asked for. */
public class OutputExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(String path) {
        super("output already exists: " + path + " (pass --overwrite to replace it)");
    }
}
