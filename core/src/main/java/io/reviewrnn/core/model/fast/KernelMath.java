package io.reviewrnn.core.model.fast;

/**
 * The exponential used by the kernels, one overload per precision: the double kernels (double networks, gradient
 * checks) use {@link Math#exp}; the generated float kernels resolve to the float overload, a branch-free
 * Cody-Waite range reduction with a degree-6 polynomial (relative error below 3e-7, about float rounding, and 2-3x
 * faster than {@code Math.exp} on the JIT here).
 */
final class KernelMath {
    private KernelMath() {
    }

    static double exp(double v) {
        return Math.exp(v);
    }

    static float exp(float v) {
        float x = Math.max(-87.0f, Math.min(88.0f, v));
        // Round x / ln 2 to the nearest integer k with the 1.5 * 2^23 trick: t holds k in its low mantissa bits.
        float t = x * 1.44269504f + 12582912f;
        float k = t - 12582912f;
        float r = x - k * 0.693359375f + k * 2.12194440e-4f; // x - k ln 2, ln 2 split in two parts
        float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.16666667f + r * (0.041666668f + r * (0.008333334f
                + r * 0.0013888889f)))));
        int bits = Float.floatToRawIntBits(t) - 0x4B400000;
        return p * Float.intBitsToFloat((bits + 127) << 23);
    }
}
