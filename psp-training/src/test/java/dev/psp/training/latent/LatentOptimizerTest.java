package dev.psp.training.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.CheckpointFormatException;
import dev.psp.EncoderType;
import dev.psp.LatentCode;
import dev.psp.ModelMismatchException;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.internal.Gaussian;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import dev.psp.nn.PspNetwork;
import dev.psp.nn.RandomWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optimization of codes through a small random 64-px decoder, towards the decoder's own image of a
 * known code: the loss it reports is the L2 of the code, its first step is Adam's (each coordinate
 * moves by the learning rate against the sign of the gradient, checked by central differences of
 * the loss), and it approaches the known code's image.
 */
class LatentOptimizerTest {
  private static final PspNetwork NET = new PspNetwork(64, 3, EncoderType.GRADUAL_STYLE,
      new Architecture(16, List.of(1, 2, 2, 1), 4));
  private static final Map<String, TensorData> WEIGHTS = RandomWeights.of(NET.stateDictSpec(), 5);
  private static LatentOptimizer optimizer;
  private static LatentCode truth;
  private static TensorData target;

  @BeforeAll
  static void setUp() throws Exception {
    optimizer = new LatentOptimizer(NET, WEIGHTS, "random weights");
    int n = NET.nStyles();
    int d = NET.styleDim();
    truth = LatentCode.of(Gaussian.sample(21, 2 * n * d), 2, n, d);
    target = image(truth);
  }

  @AfterAll
  static void tearDown() {
    optimizer.close();
  }

  /** face_pool(G(w)) with the stored noise, computed here without the optimizer. */
  private static TensorData image(LatentCode w) {
    return DjlTensorOps.withoutGrad(() -> {
      try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
        Map<String, NDArray> p = DjlTensorOps.toNDArrays(m, WEIGHTS);
        DjlTensorOps ops = new DjlTensorOps(m, p);
        NDArray x = DjlTensorOps.toNDArray(m, w.toTensor());
        return DjlTensorOps.toTensorData(NET.facePool(ops, NET.decode(ops, x, NET.storedNoises(ops))));
      }
    });
  }

  private static LatentCode perturbed(long seed, double scale) {
    float[] v = truth.values();
    float[] e = Gaussian.sample(seed, v.length);
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (scale * e[i]);
    }
    return LatentCode.of(v, truth.batchSize(), truth.nStyles(), truth.dim());
  }

  private static double l2(LatentCode w) {
    return optimizer.optimize(w, target, 0, 0.05, null).losses()[0];
  }

  @Test
  void zeroStepsReportTheL2OfTheStartCodes() {
    LatentCode start = perturbed(3, 0.5);
    float[] a = image(start).toFloatArray();
    float[] b = target.toFloatArray();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) (a[i] - b[i]) * (a[i] - b[i]);
    }
    LatentOptimizer.Result r = optimizer.optimize(start, target, 0, 0.05, null);
    assertThat(r.losses()).hasSize(1);
    assertThat(r.losses()[0]).isCloseTo(sum / a.length, org.assertj.core.data.Percentage.withPercentage(1e-3));
    assertThat(r.losses()[0]).isGreaterThan(1e-3);
    assertThat(Arrays.mismatch(r.codes().values(), start.values())).isEqualTo(-1);
    assertThat(l2(truth)).isLessThan(1e-10);
  }

  @Test
  void theFirstStepMovesEachCoordinateByTheLearningRateAgainstItsGradient() {
    LatentCode start = perturbed(3, 0.5);
    double lr = 0.01;
    float[] moved = optimizer.optimize(start, target, 1, lr, null).codes().values();
    float[] w = start.values();
    double h = 0.05;
    int checked = 0;
    for (int i = 0; i < w.length && checked < 12; i += 37) {
      double slope = (l2(shifted(start, i, h)) - l2(shifted(start, i, -h))) / (2 * h);
      if (Math.abs(slope) < 1e-4) {
        continue; // too flat for float32 central differences to give the sign
      }
      checked++;
      assertThat((double) moved[i] - w[i]).as("coordinate %d, slope %.3g", i, slope)
          .isCloseTo(-lr * Math.signum(slope), org.assertj.core.data.Offset.offset(lr * 1e-3));
    }
    assertThat(checked).isEqualTo(12);
  }

  private static LatentCode shifted(LatentCode w, int i, double h) {
    float[] v = w.values();
    v[i] += (float) h;
    return LatentCode.of(v, w.batchSize(), w.nStyles(), w.dim());
  }

  @Test
  void stepsApproachTheImageOfTheKnownCodeAndRepeatExactly() {
    LatentCode start = perturbed(4, 0.3);
    List<Double> seen = new ArrayList<>();
    LatentOptimizer.Result r = optimizer.optimize(start, target, 40, 0.02, (done, total, l2) -> {
      assertThat(total).isEqualTo(40);
      assertThat(done).isEqualTo(seen.size() + 1);
      seen.add(l2);
    });
    double[] losses = r.losses();
    System.out.printf("L2 %.5f -> %.5f after 40 steps%n", losses[0], losses[40]);
    assertThat(seen).hasSize(40);
    assertThat(seen.get(0)).isEqualTo(losses[0]);
    assertThat(seen.get(39)).isEqualTo(losses[39]);
    assertThat(losses[40]).isLessThan(0.2 * losses[0]);
    assertThat(losses[40]).isCloseTo(l2(r.codes()), org.assertj.core.data.Percentage.withPercentage(1e-3));
    LatentOptimizer.Result again = optimizer.optimize(start, target, 40, 0.02, null);
    assertThat(Arrays.mismatch(again.codes().values(), r.codes().values())).isEqualTo(-1);
  }

  @Test
  void badArgumentsAreRefusedWithWhatWasExpected() {
    LatentCode one = truth.sample(0);
    assertThatThrownBy(() -> optimizer.optimize(one, target, 1, 0.05, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targets must be [1, 3, 256, 256]");
    LatentCode narrow = LatentCode.of(new float[2 * NET.nStyles() * 8], 2, NET.nStyles(), 8);
    assertThatThrownBy(() -> optimizer.optimize(narrow, target, 1, 0.05, null))
        .hasMessageContaining("codes are 10x8, the decoder of random weights takes 10x32");
    assertThatThrownBy(() -> optimizer.optimize(truth, target, -1, 0.05, null))
        .hasMessageContaining("steps must be between 0 and 10000, got -1");
    assertThatThrownBy(() -> optimizer.optimize(truth, target, 1, 0, null))
        .hasMessageContaining("learning rate must be positive and finite, got 0.0");
    float[] nan = target.toFloatArray();
    nan[7] = Float.NaN;
    assertThatThrownBy(() -> optimizer.optimize(truth, TensorData.ofFloats(nan, target.shape()), 1, 0.05, null))
        .hasMessageContaining("non-finite value at flat index 7");
  }

  @Test
  void weightsOfAnotherNetworkOrNoCheckpointAreRefused(@TempDir Path dir) throws Exception {
    Map<String, TensorData> missing = new HashMap<>(WEIGHTS);
    missing.remove("decoder.conv1.conv.weight");
    assertThatThrownBy(() -> new LatentOptimizer(NET, missing, "cut.pt"))
        .isInstanceOf(ModelMismatchException.class).hasMessageContaining("decoder.conv1.conv.weight");
    Path junk = Files.write(dir.resolve("junk.pt"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> LatentOptimizer.of(junk)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("junk.pt");
  }

  @Test
  void aClosedOptimizerSaysSo() throws Exception {
    LatentOptimizer o = new LatentOptimizer(NET, WEIGHTS, "random weights");
    o.close();
    o.close();
    assertThatThrownBy(() -> o.optimize(truth, target, 1, 0.05, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
