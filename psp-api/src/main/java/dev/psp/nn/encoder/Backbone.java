package dev.psp.nn.encoder;

import dev.psp.nn.Layer;
import dev.psp.nn.TensorOps;

/** A feature extractor that maps a 256×256 input to one 16×16 map (ReStyle's backbone encoders). */
public interface Backbone extends Layer {
  /** The final map {@code [B,outChannels,16,16]} for x {@code [B,input_nc,256,256]}. */
  <T> T forward(TensorOps<T> ops, T x);

  /** Channels of the final map (512 officially). */
  int outChannels();
}
