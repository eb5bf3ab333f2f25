package io.reviewrnn.core.text;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Dense ids for the distinct tokens of a batch of text, assigned in order of first appearance: an open-addressing
 * hash table over character runs, so that {@link KerasTokenizer#scanTokens(String, KerasTokenizer.CharSink)}
 * output is looked up without creating a string per token (a string is made once per distinct token). Lets a
 * partition of reviews be held as {@code int} ids and counted with array increments. Not thread-safe.
 */
public final class TokenDictionary implements Serializable {
    private static final long serialVersionUID = 1L;

    private String[] tokens;
    /** The characters of each token, for comparisons without {@link String#charAt}. */
    private char[][] chars;
    private int[] hashes;
    /** Slots hold {@code id + 1}; 0 is empty. Length is a power of two. */
    private int[] slots;
    private int size;

    public TokenDictionary() {
        this(1024);
    }

    public TokenDictionary(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        tokens = new String[Math.max(16, expected)];
        chars = new char[tokens.length][];
        hashes = new int[tokens.length];
        slots = new int[cap];
    }

    /** The id of the token {@code buf[off, off + len)}, adding it if new. */
    public int idOf(char[] buf, int off, int len) {
        int h = hash(buf, off, len);
        int mask = slots.length - 1;
        int i = h & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return add(buf, off, len, h, i);
            }
            int id = s - 1;
            if (hashes[id] == h && equal(chars[id], buf, off, len)) {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    /** The id of {@code token}, adding it if new. */
    public int idOf(String token) {
        char[] c = token.toCharArray();
        return idOf(c, 0, c.length);
    }

    /** The id of {@code token}, or -1 if it has none. */
    public int find(String token) {
        char[] buf = token.toCharArray();
        int h = hash(buf, 0, buf.length);
        int mask = slots.length - 1;
        for (int i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
            int id = slots[i] - 1;
            if (hashes[id] == h && tokens[id].equals(token)) {
                return id;
            }
        }
        return -1;
    }

    /** The token with id {@code id}. */
    public String token(int id) {
        if (id < 0 || id >= size) {
            throw new IndexOutOfBoundsException("token id " + id + " of " + size);
        }
        return tokens[id];
    }

    /** The distinct tokens by id. */
    public String[] tokens() {
        return Arrays.copyOf(tokens, size);
    }

    public int size() {
        return size;
    }

    private int add(char[] buf, int off, int len, int h, int slot) {
        if (size == tokens.length) {
            tokens = Arrays.copyOf(tokens, size * 2);
            chars = Arrays.copyOf(chars, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        chars[size] = Arrays.copyOfRange(buf, off, off + len);
        tokens[size] = new String(buf, off, len);
        hashes[size] = h;
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int id = 0; id < size; id++) {
            int i = hashes[id] & mask;
            while (bigger[i] != 0) {
                i = (i + 1) & mask;
            }
            bigger[i] = id + 1;
        }
        slots = bigger;
    }

    private static int hash(char[] buf, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Tokens are a few characters long: a plain loop beats {@link Arrays#equals}' vectorized set-up. */
    private static boolean equal(char[] token, char[] buf, int off, int len) {
        if (token.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (token[i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }
}
