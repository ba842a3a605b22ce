package dev.psp.nn.encoder;

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
  /** Units per stage. */
  private static final int[] UNITS = {3, 4, 14, 3};
  /** Input width of each stage. */
  private static final int[] IN = {64, 64, 128, 256};
  /** Output width of each stage. */
  private static final int[] OUT = {64, 128, 256, 512};

  private final String prefix;
  private final List<BottleneckIRSE> units = new ArrayList<>();
  private final int[] stageEnds = new int[UNITS.length];

  /** The body whose unit keys are {@code prefix + i + "."} (e.g. {@code encoder.body.}). */
  public IRSE50Body(String prefix) {
    this.prefix = prefix;
    int idx = 0;
    for (int s = 0; s < UNITS.length; s++) {
      for (int u = 0; u < UNITS[s]; u++) {
        int in = u == 0 ? IN[s] : OUT[s];
        units.add(new BottleneckIRSE(prefix + idx + ".", in, OUT[s], u == 0 ? 2 : 1));
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
    return OUT[OUT.length - 1];
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
