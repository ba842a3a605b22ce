package dev.psp.nn.encoder;

import dev.psp.nn.Architecture;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The IR-SE-50 backbone of ReStyle's {@code BackboneEncoder}: {@code input_layer} → {@code body}, the
 * final 16×16 map only. Immutable and thread-safe.
 */
public final class IRSE50Backbone implements Backbone {
  private final InputLayer inputLayer;
  private final IRSE50Body body;

  /** The backbone with keys under {@code prefix} (e.g. {@code encoder.}). */
  public IRSE50Backbone(String prefix, int inputNc, Architecture arch) {
    this.inputLayer = new InputLayer(prefix + "input_layer.", inputNc, arch.bodyWidths()[0]);
    this.body = new IRSE50Body(prefix + "body.", arch);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(inputLayer).add(body);
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    return body.forward(ops, ops.scoped(() -> inputLayer.forward(ops, x)));
  }

  @Override
  public int outChannels() {
    return body.outChannels();
  }
}
