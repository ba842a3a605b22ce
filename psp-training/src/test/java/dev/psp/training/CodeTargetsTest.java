package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.LatentCode;
import dev.psp.TranslationTask;
import dev.psp.djl.PyTorchEngine;
import dev.psp.nn.PspNetwork;
import dev.psp.training.data.PairedDataset;
import dev.psp.training.data.SyntheticPairs;
import dev.psp.training.data.TaskTransforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdk_code_targets}: the encoder graded against fitted W+ codes of its training faces. */
class CodeTargetsTest {
  @TempDir Path tmp;

  private TrainOptions sketch(String name, Path gan) {
    return TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve(name), gan)).with("dataset_type", "celebs_sketch_to_face")
        .with("input_nc", 1L).with("label_nc", 1L).with("batch_size", 4L).with("learning_rate", 0.01);
  }

  private static PspNetwork net(TrainOptions o) {
    return new PspNetwork(o.outputSize(), o.intOpt("input_nc"), o.encoderType(), o.architecture());
  }

  /** {@code faces} random codes of the network's shape, written as psp fit-codes writes them. */
  private Path codes(PspNetwork net, int faces, long seed) throws Exception {
    Random r = new Random(seed);
    float[] v = new float[faces * net.nStyles() * net.styleDim()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    Path file = tmp.resolve("codes" + seed + ".npy");
    LatentCode.of(v, faces, net.nStyles(), net.styleDim()).save(file);
    return file;
  }

  @Test
  void theLossIsTheMeanSquaredDifferenceOverTheGradedRowsOfFacesThatHaveACode() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 3, true);
    TrainOptions base = sketch("loss", gan);
    PspNetwork net = net(base);
    int n = net.nStyles();
    int dim = net.styleDim();
    Path file = codes(net, 5, 1);
    float[] targets = LatentCode.load(file).values();
    Random r = new Random(2);
    int b = 4;
    float[] student = new float[b * n * dim];
    for (int i = 0; i < student.length; i++) {
      student[i] = (float) r.nextGaussian();
    }
    int[] faces = {3, 7, 0}; // face 7 has no code; the fourth row (a drawn pair) is not a training face
    for (String rows : new String[] {null, "1-2"}) {
      TrainOptions o = base.with("sdk_code_targets", file.toString());
      boolean[] graded = new boolean[n];
      if (rows == null) {
        java.util.Arrays.fill(graded, true);
      } else {
        o = o.with("sdk_code_targets_rows", rows);
        graded[1] = true;
        graded[2] = true;
      }
      double sum = 0;
      int count = 0;
      for (int i = 0; i < faces.length; i++) {
        if (faces[i] >= 5) {
          continue;
        }
        for (int row = 0; row < n; row++) {
          for (int d = 0; graded[row] && d < dim; d++) {
            double diff = student[(i * n + row) * dim + d] - targets[(faces[i] * n + row) * dim + d];
            sum += diff * diff;
            count++;
          }
        }
      }
      CodeTargets t = CodeTargets.of(o, net);
      assertThat(t.faces()).isEqualTo(5);
      assertThat(t.lambda()).isEqualTo(1.0);
      try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
        NDArray codes = m.create(student, new Shape(b, n, dim));
        assertThat(t.loss(m, codes, faces).getFloat()).as("rows %s", rows).isCloseTo((float) (sum / count),
            Offset.offset((float) (1e-5 * sum / count)));
        assertThat(t.loss(m, codes, new int[] {5, 6})).isNull(); // no face with a code
      }
    }
  }

  @Test
  void withATeacherTheDefaultRowsAreTheStudentsOwn() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 4, true);
    TrainOptions o = sketch("teacher", gan);
    PspNetwork net = net(o);
    int n = net.nStyles();
    int dim = net.styleDim();
    Path file = codes(net, 2, 5);
    // zero codes: the loss is the mean square of the student's graded rows, which hold row index + 1
    LatentCode.of(new float[2 * n * dim], 2, n, dim).save(file);
    float[] student = new float[n * dim];
    for (int row = 0; row < n; row++) {
      java.util.Arrays.fill(student, row * dim, (row + 1) * dim, row + 1);
    }
    TrainOptions withTeacher = o.with("sdk_code_targets", file.toString()).with("sdk_style_teacher", gan.toString())
        .with("sdk_teacher_rows", "2-" + (n - 1));
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      NDArray codes = m.create(student, new Shape(1, n, dim));
      assertThat(CodeTargets.of(withTeacher, net).loss(m, codes, new int[] {1}).getFloat()).isEqualTo((1f + 4f) / 2);
    }
  }

  private List<Map<String, Double>> history(String name, Path gan, Path codes, double lambda, long steps)
      throws Exception {
    TrainOptions o = sketch(name, gan).with("max_steps", steps - 1).with("sdk_code_targets", codes.toString())
        .with("sdk_code_targets_lambda", lambda);
    TaskTransforms t = new TaskTransforms(TranslationTask.SKETCH_TO_FACE, 2, new int[] {1});
    PairedDataset train = new SyntheticPairs(t, 1, 6, true);
    try (PspTrainer tr = PspTrainer.create(o, TrainingFixtures.l2(), train, new SyntheticPairs(t, 2, 4, false),
        TrainingFixtures.adam())) {
      tr.train(TrainingListener.silent());
      return tr.history();
    }
  }

  @Test
  void trainingAgainstTheCodesTeachesThemAndTheWeightedTermIsPartOfTheLoss() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 6, true);
    Path file = codes(net(sketch("n", gan)), 6, 9);
    List<Map<String, Double>> graded = history("graded", gan, file, 0.5, 40);
    List<Map<String, Double>> logged = history("logged", gan, file, 0.0, 40);
    double[] means = TrainingFixtures.weightedTerm(graded, logged, "loss_w_target", 0.5, 30);
    double w = means[0];
    double l2Only = means[1];
    System.out.printf("loss_w_target, steps 30-39: graded %.4f, L2 only %.4f (step 0: %.4f)%n", w, l2Only,
        graded.get(0).get("loss_w_target"));
    assertThat(w).isLessThan(0.7 * l2Only);
  }

  @Test
  void badOptionsAreRefusedWithTheFix() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 7, true);
    TrainOptions o = sketch("bad", gan);
    PspNetwork net = net(o);
    Path file = codes(net, 2, 3);
    assertThatThrownBy(() -> CodeTargets.of(o.with("sdk_code_targets_lambda", 1.0), net))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set sdk_code_targets=");
    TrainOptions inversion = o.with("dataset_type", "ffhq_encode").with("input_nc", 3L)
        .with("sdk_code_targets", file.toString());
    assertThatThrownBy(() -> CodeTargets.of(inversion, net(inversion)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flips its pairs");
    assertThatThrownBy(() -> CodeTargets.of(o.with("sdk_code_targets", file.toString())
        .with("sdk_code_targets_lambda", -1.0), net)).hasMessageContaining(">= 0");
    Path wrong = tmp.resolve("wrong.npy");
    LatentCode.of(new float[2 * 3 * 4], 2, 3, 4).save(wrong);
    assertThatThrownBy(() -> CodeTargets.of(o.with("sdk_code_targets", wrong.toString()), net))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codes of 3x4")
        .hasMessageContaining("psp fit-codes");
    Path text = Files.writeString(tmp.resolve("text.npy"), "not numpy");
    assertThatThrownBy(() -> CodeTargets.of(o.with("sdk_code_targets", text.toString()), net))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a .npy file of W+ codes");
    assertThatThrownBy(() -> CodeTargets.of(o.with("sdk_code_targets", tmp.resolve("none.npy").toString()), net))
        .hasMessageContaining(tmp.resolve("none.npy").toAbsolutePath().toString());
  }
}
