package io.reviewrnn.jobs.prepare;

import java.io.Serializable;

/**
 * One encoded review as a Java bean, so Spark's generated bean encoder writes {@code ids} straight from the
 * {@code int[]} (no per-element boxing). Column order and names of the output are set by {@link PrepareJob}.
 */
public final class EncodedRow implements Serializable {
    private static final long serialVersionUID = 1L;
    private String id;
    private int label;
    private Integer rating;
    private int[] ids;
    private int tokenCount;
    private int oovCount;
    private boolean truncated;
    private String split;

    public EncodedRow() {
    }

    EncodedRow(String id, int label, Integer rating, int[] ids, int tokenCount, int oovCount, boolean truncated,
               String split) {
        this.id = id;
        this.label = label;
        this.rating = rating;
        this.ids = ids;
        this.tokenCount = tokenCount;
        this.oovCount = oovCount;
        this.truncated = truncated;
        this.split = split;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public int getLabel() {
        return label;
    }

    public void setLabel(int label) {
        this.label = label;
    }

    public Integer getRating() {
        return rating;
    }

    public void setRating(Integer rating) {
        this.rating = rating;
    }

    public int[] getIds() {
        return ids;
    }

    public void setIds(int[] ids) {
        this.ids = ids;
    }

    public int getTokenCount() {
        return tokenCount;
    }

    public void setTokenCount(int tokenCount) {
        this.tokenCount = tokenCount;
    }

    public int getOovCount() {
        return oovCount;
    }

    public void setOovCount(int oovCount) {
        this.oovCount = oovCount;
    }

    public boolean isTruncated() {
        return truncated;
    }

    public void setTruncated(boolean truncated) {
        this.truncated = truncated;
    }

    public String getSplit() {
        return split;
    }

    public void setSplit(String split) {
        this.split = split;
    }
}
