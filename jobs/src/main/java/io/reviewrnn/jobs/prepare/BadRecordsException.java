package io.reviewrnn.jobs.prepare;

import java.util.List;
import java.util.Map;

/** Input held records that cannot be used and the policy is {@code fail}. The message lists examples. */
public class BadRecordsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long count;

    public BadRecordsException(long count, Map<String, Long> byReason, List<String> examples) {
        super(count + " bad input record(s) " + byReason + "; for example:\n  " + String.join("\n  ", examples)
                + "\nFix the input, or pass --on-bad-record skip to write them to a rejects file and go on.");
        this.count = count;
    }

    public long count() {
        return count;
    }
}
