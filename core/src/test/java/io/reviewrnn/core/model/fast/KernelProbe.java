package io.reviewrnn.core.model.fast;

import java.util.Locale;
import java.util.Random;

/** Times the bare kernels (no DL4J) at batch 64 x 100 steps; used by the benchmark's profile section. */
public final class KernelProbe {
    private KernelProbe() {
    }

    /** Returns {forward ms, backward ms} per minibatch for kind lstm|gru|rnn. */
    public static double[] time(String kind, int mb, int steps, int nIn, int units, int reps) {
        RecurrentKernel k = switch (kind) {
            case "lstm" -> new LstmKernel(nIn, units);
            case "gru" -> new GruKernel(nIn, units);
            default -> new SimpleRnnKernel(nIn, units);
        };
        Random r = new Random(1);
        for (double[] a : new double[][] {k.w, k.rw, k.b}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian() * 0.3;
            }
        }
        if (k.rb != null) {
            for (int i = 0; i < k.rb.length; i++) {
                k.rb[i] = r.nextGaussian() * 0.3;
            }
        }
        k.x = new double[mb * steps * nIn];
        for (int i = 0; i < k.x.length; i++) {
            k.x[i] = r.nextGaussian() * 0.05;
        }
        double[] dOut = new double[mb * units];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = r.nextGaussian();
        }
        double[] dx = new double[mb * steps * nIn];
        k.prepare(mb, steps, true);
        for (int i = 0; i < 20; i++) {
            k.forward();
            k.backward(dOut, false, dx);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            k.forward();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            k.backward(dOut, false, dx);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps};
    }

    /** Float kernels: {forward ms, backward ms} per minibatch. */
    public static double[] timeFloat(String kind, int mb, int steps, int nIn, int units, int reps) {
        FloatRecurrentKernel k = switch (kind) {
            case "lstm" -> new FloatLstmKernel(nIn, units);
            case "gru" -> new FloatGruKernel(nIn, units);
            default -> new FloatSimpleRnnKernel(nIn, units);
        };
        Random r = new Random(1);
        for (float[] a : new float[][] {k.w, k.rw, k.b}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
        if (k.rb != null) {
            for (int i = 0; i < k.rb.length; i++) {
                k.rb[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
        k.x = new float[mb * steps * nIn];
        for (int i = 0; i < k.x.length; i++) {
            k.x[i] = (float) (r.nextGaussian() * 0.05);
        }
        float[] dOut = new float[mb * units];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = (float) r.nextGaussian();
        }
        float[] dx = new float[mb * steps * nIn];
        k.prepare(mb, steps, true);
        for (int i = 0; i < 20; i++) {
            k.forward();
            k.backward(dOut, false, dx);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            k.forward();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            k.backward(dOut, false, dx);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps};
    }

    public static void main(String[] args) {
        for (String kind : new String[] {"rnn", "lstm", "gru"}) {
            double[] t = time(kind, 64, 100, 16, 8, 50);
            double[] f = timeFloat(kind, 64, 100, 16, 8, 50);
            System.out.printf(Locale.ROOT, "%s: double forward %.2f ms, backward %.2f ms | float forward %.2f ms, "
                    + "backward %.2f ms%n", kind, t[0], t[1], f[0], f[1]);
        }
    }
}
