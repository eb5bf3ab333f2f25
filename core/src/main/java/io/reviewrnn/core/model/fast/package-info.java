/**
 * Fast recurrent layers for DL4J {@code MultiLayerNetwork}: {@link io.reviewrnn.core.model.fast.FastLstm},
 * {@link io.reviewrnn.core.model.fast.FastGru}, {@link io.reviewrnn.core.model.fast.FastSimpleRnn} and
 * {@link io.reviewrnn.core.model.fast.FastEmbedding}.
 *
 * <p>Each layer runs its forward and backward pass over a whole minibatch sequence in one call of a plain-Java
 * kernel (time loop outside, minibatch loop inside so the JIT vectorizes it), instead of DL4J's several small native
 * ops per time step. Parameters and gradients live in DL4J's flattened views (keys {@code W}, {@code RW}, {@code b},
 * and {@code rb} for the GRU), so updaters, Spark parameter averaging, {@code ModelSerializer} and resume work
 * unchanged. FastLstm and FastSimpleRnn use exactly the flattened layout of DL4J's {@code LSTM} and
 * {@code SimpleRnn}, FastEmbedding that of {@code EmbeddingSequenceLayer} without bias; FastGru uses PyTorch's gate
 * order (r, z, n) with separate input and recurrent biases. Semantics follow Keras: last-step output unless
 * {@code returnSequences(true)}, one-hot input as a row gather, dropout fractions dropped with one mask per sample
 * reused at every step, default initialization glorot-uniform / orthogonal / zero (LSTM forget bias 1).
 */
package io.reviewrnn.core.model.fast;
