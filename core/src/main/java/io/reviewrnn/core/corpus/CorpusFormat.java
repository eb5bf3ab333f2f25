package io.reviewrnn.core.corpus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Input formats of a review corpus. {@code AUTO} picks one from the path. */
public enum CorpusFormat {
    AUTO("auto"),
    /** {@code <root>/{train,test}/{pos,neg,unsup}/<id>_<rating>.txt}, as a directory or a .tar.gz of one. */
    ACLIMDB("aclimdb"),
    CSV("csv"),
    TSV("tsv"),
    JSONL("jsonl"),
    PARQUET("parquet"),
    /** One review per line, unlabelled (scoring only). */
    TEXT("text");

    private final String key;

    CorpusFormat(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    @JsonCreator
    public static CorpusFormat parse(String s) {
        for (CorpusFormat f : values()) {
            if (f.key.equalsIgnoreCase(s == null ? "" : s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values()).map(CorpusFormat::key)
                .collect(Collectors.joining(", ")) + ", was '" + s + "'");
    }

    /** File name endings of the compressions the line-format readers decompress. */
    public static final List<String> COMPRESSED = List.of(".gz", ".bz2", ".deflate", ".zst", ".lz4", ".snappy");

    /** Guesses the format from a file or directory name; {@code isDirectory} decides between aclImdb and Parquet. */
    public static CorpusFormat guess(String path, boolean isDirectory) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.endsWith(".tar.gz") || p.endsWith(".tgz")) {
            return ACLIMDB;
        }
        // reviews.csv.gz is a CSV file read through a decompressor
        for (String codec : COMPRESSED) {
            if (p.endsWith(codec)) {
                p = p.substring(0, p.length() - codec.length());
                break;
            }
        }
        if (p.endsWith(".csv")) {
            return CSV;
        }
        if (p.endsWith(".tsv")) {
            return TSV;
        }
        if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) {
            return JSONL;
        }
        if (p.endsWith(".parquet")) {
            return PARQUET;
        }
        if (p.endsWith(".txt")) {
            return TEXT;
        }
        return isDirectory ? ACLIMDB : TEXT;
    }
}
