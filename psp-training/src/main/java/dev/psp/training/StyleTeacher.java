package dev.psp.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.ModelConfig;
import dev.psp.ModelMismatchException;
import dev.psp.PspException;
import dev.psp.StyleMixer;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen pSp inversion model whose codes of the training targets supply some W+ rows of the
 * student's code ({@code sdk_style_teacher}, rows {@code sdk_teacher_rows}, default {@code fine}).
 *
 * <p>Sketches and label maps carry no colour, so under L2 a model trained on them regresses to the
 * average colours and, through the rows that hold them, to an average face. With the colour rows
 * taken from the target's own inversion code the student is graded on what its input shows:
 * geometry. At inference those rows come from style mixing (paper §4.3, multi-modal synthesis). The
 * student starts from the teacher's decoder and latent_avg ({@link ModelInit}), so both codes live in
 * one W+ space; keep {@code train_decoder} false.
 */
final class StyleTeacher implements AutoCloseable {
  private final PspNetwork net;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final NDArray latentAvg;
  private final int[] rows;

  private StyleTeacher(PspNetwork net, Map<String, TensorData> sd, TensorData latentAvg, int[] rows) {
    this.net = net;
    this.rows = rows;
    this.manager = PyTorchEngine.djl().newBaseManager();
    sd.forEach((k, t) -> {
      if (k.startsWith("encoder.")) {
        params.put(k, DjlTensorOps.toNDArray(manager, t));
      }
    });
    this.latentAvg = latentAvg == null ? null : DjlTensorOps.toNDArray(manager, latentAvg);
  }

  /** The teacher of {@code opts}, or null when {@code sdk_style_teacher} is unset. */
  static StyleTeacher of(TrainOptions opts, PspNetwork student) throws IOException, PspException {
    String name = opts.string("sdk_style_teacher");
    if (name == null) {
      return null;
    }
    Path p = ModelInit.existing(Path.of(name), "sdk_style_teacher");
    if (opts.bool("train_decoder")) {
      throw new IllegalArgumentException("sdk_style_teacher needs train_decoder=false: the teacher's codes"
          + " are codes of its own decoder, which the student shares");
    }
    if (opts.restyle()) {
      throw new IllegalArgumentException("sdk_style_teacher is for one-pass pSp encoders, not ReStyle");
    }
    if (student.learnInW()) {
      throw new IllegalArgumentException("sdk_style_teacher replaces rows of a W+ code; a W encoder"
          + " (learn_in_w) has one row: unset learn_in_w or sdk_style_teacher");
    }
    int[] rows = rows(opts, student.nStyles());
    try (Checkpoint c = CheckpointReader.read(p)) {
      ModelConfig config = ModelConfig.fromOpts(c.opts(), c.latentAvg().isPresent());
      PspNetwork net = PspNetwork.forConfig(config);
      Map<String, TensorData> sd = c.stateDict();
      net.stateDictSpec().check(sd, p.toString());
      if (config.inputNc() != 3 || config.iterative()) {
        throw new ModelMismatchException(p.toString(), List.of("input_nc is " + config.inputNc()
            + (config.iterative() ? " (ReStyle)" : "")
            + "; the teacher must encode the 3-channel targets in one pass (an inversion model)"));
      }
      if (net.learnInW()) {
        throw new ModelMismatchException(p.toString(), List.of("a W encoder (learn_in_w); the teacher"
            + " must give W+ codes, one row per style"));
      }
      if (net.nStyles() != student.nStyles() || net.styleDim() != student.styleDim()) {
        throw new ModelMismatchException(p.toString(), List.of("codes of " + net.nStyles() + "x"
            + net.styleDim() + ", the student's are " + student.nStyles() + "x" + student.styleDim()));
      }
      return new StyleTeacher(net, sd, config.startFromLatentAvg() ? c.latentAvg().orElse(null) : null, rows);
    }
  }

  /** The rows the teacher of {@code opts} supplies ({@code sdk_teacher_rows}, default fine), none without one. */
  static int[] rows(TrainOptions opts, int nStyles) {
    if (opts.string("sdk_style_teacher") == null) {
      return new int[0];
    }
    String spec = opts.string("sdk_teacher_rows") == null ? "fine" : opts.string("sdk_teacher_rows");
    return StyleMixer.parse(spec, 1.0).rows(nStyles);
  }

  /** The student's W+ codes with the rows of {@code sdk_teacher_rows} replaced by the teacher's codes of {@code y}. */
  NDArray mix(NDManager call, NDArray student, NDArray y) {
    NDArray teacher = codes(call, y);
    long n = student.getShape().get(1);
    float[] m = new float[(int) n];
    for (int r : rows) {
      m[r] = 1f;
    }
    NDArray take = call.create(m, new Shape(1, n, 1));
    NDArray keep = call.ones(new Shape(1, n, 1)).sub(take);
    return student.mul(keep).add(teacher.mul(take));
  }

  /**
   * The teacher's W+ codes of the targets {@code y} ({@code [b,3,256,256]}): an inference pass
   * (grad mode off, so it records nothing and runs inference's shapes, as {@code psp encode} does).
   */
  private NDArray codes(NDManager call, NDArray y) {
    return DjlTensorOps.withoutGrad(() -> {
      DjlTensorOps ops = new DjlTensorOps(call, params::get);
      NDArray codes = net.encode(ops, y.stopGradient());
      return latentAvg == null ? codes : codes.add(latentAvg);
    });
  }

  @Override
  public void close() {
    manager.close();
  }
}
