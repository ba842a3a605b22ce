package dev.psp.nn.encoder;

import dev.psp.nn.Architecture;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The IR-SE-50 {@code body} ({@code helpers.get_blocks(50)} with {@code bottleneck_IR_SE}): 24 units
 * numbered 0..23 in four stages of 3, 4, 14 and 3 units with widths 64→64, 64→128, 128→256 and
 * 256→512; the first unit of each stage has stride 2. On a 256×256 input the stage outputs are
 * {@code [B,64,128,128]}, {@code [B,128,64,64]} (body[6], FPN tap c1), {@code [B,256,32,32]}
 * (body[20], c2) and {@code [B,512,16,16]} (body[23], c3). Immutable and thread-safe.
 */
public final class IRSE50Body implements Layer {
  private final String prefix;
  private final int[] out;
  private final List<BottleneckIRSE> units = new ArrayList<>();
  private final int[] stageEnds = new int[4];

  /** The official body whose unit keys are {@code prefix + i + "."} (e.g. {@code encoder.body.}). */
  public IRSE50Body(String prefix) {
    this(prefix, Architecture.OFFICIAL);
  }

  /**
   * The body of an architecture: stage s has {@code bodyUnits[s]} units of width {@code bodyWidths[s]};
   * the first unit of each stage has stride 2 and takes the previous stage's width (the input layer's,
   * {@code bodyWidths[0]}, for stage 0).
   */
  public IRSE50Body(String prefix, Architecture arch) {
    this.prefix = prefix;
    this.out = arch.bodyWidths();
    int idx = 0;
    for (int s = 0; s < 4; s++) {
      for (int u = 0; u < arch.bodyUnits().get(s); u++) {
        int in = u == 0 ? out[Math.max(s - 1, 0)] : out[s];
        units.add(new BottleneckIRSE(prefix + idx + ".", in, out[s], u == 0 ? 2 : 1));
        idx++;
      }
      stageEnds[s] = idx - 1;
    }
  }

  /** The 24 units in order. */
  public List<BottleneckIRSE> units() {
    return List.copyOf(units);
  }

  /** Output channels (512). */
  public int outChannels() {
    return out[out.length - 1];
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    for (BottleneckIRSE u : units) {
      spec.add(u);
    }
  }

  /** The final output {@code [B,512,H/16,W/16]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    List<T> stages = stageOutputs(ops, x);
    return stages.get(stages.size() - 1);
  }

  /**
   * The outputs of the last unit of each stage: body[2], body[6], body[20], body[23]. Each unit runs
   * in its own {@link TensorOps#scoped} block.
   */
  public <T> List<T> stageOutputs(TensorOps<T> ops, T x) {
    List<T> out = new ArrayList<>();
    int stage = 0;
    for (int i = 0; i < units.size(); i++) {
      BottleneckIRSE unit = units.get(i);
      T in = x;
      x = ops.scoped(() -> unit.forward(ops, in));
      if (i == stageEnds[stage]) {
        out.add(x);
        stage++;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "IRSE50Body(" + prefix + ", units=24, stages=[3,4,14,3], widths=[64,128,256,512])";
  }
}
