package dev.psp.nn.encoder;

import dev.psp.nn.Architecture;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * ReStyle's ResNet-34 backbone ({@code ResNetBackboneEncoder}): {@code conv1} (7×7, stride 2, padding
 * 3, no bias) → {@code bn1} → {@code relu} (a PReLU despite its name) → {@code body}, torchvision's
 * {@code layer1..layer4} flattened into 16 {@link BasicBlock}s of 3, 4, 6 and 3 with widths 64, 128,
 * 256 and 512 (scaled by the architecture); no max-pool. A 256×256 input gives a 16×16 map.
 * Immutable and thread-safe.
 */
public final class ResNet34Backbone implements Backbone {
  /** Blocks per stage of ResNet-34. */
  public static final List<Integer> UNITS = List.of(3, 4, 6, 3);

  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final PReLU relu;
  private final List<BasicBlock> body = new ArrayList<>();
  private final int outChannels;

  /** The backbone with keys under {@code prefix} (e.g. {@code encoder.}). */
  public ResNet34Backbone(String prefix, int inputNc, Architecture arch) {
    int[] w = arch.bodyWidths();
    this.conv1 = new Conv2d(prefix + "conv1.", inputNc, w[0], 7, 2, 3, false);
    this.bn1 = new BatchNorm2d(prefix + "bn1.", w[0]);
    this.relu = new PReLU(prefix + "relu.", w[0]);
    int idx = 0;
    int in = w[0];
    for (int s = 0; s < 4; s++) {
      for (int u = 0; u < UNITS.get(s); u++) {
        body.add(new BasicBlock(prefix + "body." + idx + ".", in, w[s], s > 0 && u == 0 ? 2 : 1));
        in = w[s];
        idx++;
      }
    }
    this.outChannels = w[3];
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv1).add(bn1).add(relu);
    for (BasicBlock b : body) {
      spec.add(b);
    }
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    T h = ops.scoped(() -> relu.forward(ops, bn1.forward(ops, conv1.forward(ops, x))));
    for (BasicBlock b : body) {
      T in = h;
      h = ops.scoped(() -> b.forward(ops, in));
    }
    return h;
  }

  @Override
  public int outChannels() {
    return outChannels;
  }
}
