package io.reviewrnn.core.model.fast;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the bare kernels (no DL4J network around them) at batch 64 x 100 steps, in this thread's CPU time so that
 * other processes on a shared machine do not count. Used for the benchmark's "where the time goes" section.
 */
public final class KernelProbe {
    private KernelProbe() {
    }

    /** {forward ms, backward ms} per minibatch for kind lstm|gru|rnn, float or double kernels. */
    public static double[] time(String kind, DataType type, int mb, int steps, int nIn, int units, int reps) {
        AbstractFastRecurrent conf = switch (kind) {
            case "lstm" -> new FastLstm.Builder().nIn(nIn).units(units).build();
            case "gru" -> new FastGru.Builder().nIn(nIn).units(units).build();
            default -> new FastSimpleRnn.Builder().nIn(nIn).units(units).build();
        };
        SequenceKernel k = conf.newKernel(type);
        Nd4j.getRandom().setSeed(1);
        INDArray params = Nd4j.rand(type, 1, FastRecurrentParamInitializer.getInstance().numParams(conf)).subi(0.5);
        INDArray x = Nd4j.rand(type, mb, nIn, steps).subi(0.5);
        INDArray eps = Nd4j.rand(type, mb, units);
        INDArray dx = Nd4j.create(type, new long[] {mb, nIn, steps}, 'f');
        INDArray grads = Nd4j.create(type, 1, params.length());
        Runnable fwd = () -> {
            k.loadParams(params);
            k.prepare(mb, steps, true);
            k.loadDense(x);
            k.forward();
        };
        Runnable bwd = () -> {
            k.backward(eps, false, true);
            k.writeInputGradient(dx);
            k.writeParamGradients(grads);
        };
        for (int i = 0; i < 20; i++) {
            fwd.run();
            bwd.run();
        }
        long f = 0;
        long b = 0;
        for (int i = 0; i < reps; i++) {
            long t0 = cpu();
            fwd.run();
            long t1 = cpu();
            bwd.run();
            f += t1 - t0;
            b += cpu() - t1;
        }
        return new double[] {f / 1e6 / reps, b / 1e6 / reps};
    }

    /** CPU time of this thread (ns). */
    static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public static void main(String[] args) {
        for (String kind : new String[] {"rnn", "lstm", "gru"}) {
            double[] d = time(kind, DataType.DOUBLE, 64, 100, 16, 8, 50);
            double[] f = time(kind, DataType.FLOAT, 64, 100, 16, 8, 50);
            System.out.printf(Locale.ROOT, "%-4s double: forward %.2f ms, backward %.2f ms | float: forward %.2f ms, "
                    + "backward %.2f ms%n", kind, d[0], d[1], f[0], f[1]);
        }
    }
}
