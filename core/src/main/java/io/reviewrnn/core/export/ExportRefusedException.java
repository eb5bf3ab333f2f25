package io.reviewrnn.core.export;

/**
 * A network the exporter will not write, with what stands in the way: a layer, activation or setting that the ONNX
 * operators used here cannot express exactly, or that this exporter does not map. The exporter refuses rather than
 * write a graph that computes something else.
 */
public class ExportRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExportRefusedException(String message) {
        super(message);
    }
}
