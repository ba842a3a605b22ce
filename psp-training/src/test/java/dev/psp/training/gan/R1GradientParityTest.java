package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The R1 penalty and its gradient with respect to every discriminator parameter against the
 * official second-order gradient ({@code torch.autograd.grad(create_graph=True)}), computed two
 * ways: {@link R1Penalty} (a forward-mode pass, first-order backward only) and DJL's own double
 * backward ({@code JniUtils.backward(..., createGraph=true)}), which shows DJL can differentiate
 * twice and that both agree.
 */
class R1GradientParityTest {

  @ParameterizedTest
  @ValueSource(strings = {"discriminator_32px_b4.pt", "discriminator_16px_b8.pt"})
  void forwardModeR1MatchesTheOfficialSecondOrderGradient(String file) {
    Map<String, Object> ref = GanFixtures.load(file);
    Discriminator d = discriminator(ref);
    try (NDManager root = PyTorchEngine.djl().newBaseManager()) {
      Map<String, NDArray> params = trainable(root, ref, d);
      NDArray x = DjlTensorOps.toNDArray(root, GanFixtures.tensor(ref, "x"));
      double weight = 2.5;
      double r1 = R1Penalty.accumulate(d, params, x, weight);
      checkPenalty(file + " (forward mode)", r1, ref);
      checkGradients(file + " (forward mode)", params, ref, weight);
      assertThat(x.hasGradient()).as("the real images get no gradient").isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"discriminator_32px_b4.pt", "discriminator_16px_b8.pt"})
  void djlDoubleBackwardMatchesTheOfficialSecondOrderGradient(String file) {
    Map<String, Object> ref = GanFixtures.load(file);
    Discriminator d = discriminator(ref);
    try (NDManager root = PyTorchEngine.djl().newBaseManager()) {
      Map<String, NDArray> params = trainable(root, ref, d);
      NDArray x = DjlTensorOps.toNDArray(root, GanFixtures.tensor(ref, "x"));
      x.setRequiresGradient(true);
      long batch = x.getShape().get(0);
      double r1;
      try (NDManager call = root.newSubManager();
          GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        DjlTensorOps ops = new DjlTensorOps(call, params);
        NDArray sum = ops.sum(d.forward(ops, x), new int[] {0, 1}, false);
        // the parameters stop requiring gradients while the graph of dD/dx is built, so that the
        // first backward leaves their .grad alone (AccumulateGrad skips such leaves)
        params.values().forEach(p -> p.setRequiresGradient(false));
        NDArray ones = call.ones(sum.getShape());
        JniUtils.backward((PtNDArray) sum, (PtNDArray) ones, true, true);
        params.values().forEach(p -> p.setRequiresGradient(true));
        NDArray g = x.getGradient();
        g.attach(call);
        // (JniUtils.requiresGrad reports false for it, yet it has a grad_fn and backward works)
        assertThat(JniUtils.getGradientFunctionNames((PtNDArray) g)).isNotBlank();
        NDArray penalty = ops.scale(ops.sum(ops.mul(g, g), new int[] {0, 1, 2, 3}, false), 1.0 / batch);
        r1 = penalty.getFloat();
        gc.backward(penalty);
      }
      checkPenalty(file + " (double backward)", r1, ref);
      checkGradients(file + " (double backward)", params, ref, 1);
    }
  }

  private static Discriminator discriminator(Map<String, Object> ref) {
    return new StyleGan2Config(GanFixtures.intOf(ref, "config", "size"),
        GanFixtures.intOf(ref, "config", "width_divisor"), 2).discriminator();
  }

  /** The fixture's weights, parameters requiring gradients. */
  private static Map<String, NDArray> trainable(NDManager root, Map<String, Object> ref,
      Discriminator d) {
    Map<String, NDArray> params = DjlTensorOps.toNDArrays(root,
        GanFixtures.tensors(ref, "state_dict"));
    d.stateDictSpec().entries().stream().filter(e -> e.isParameter())
        .forEach(e -> params.get(e.key()).setRequiresGradient(true));
    return params;
  }

  private static void checkPenalty(String what, double r1, Map<String, Object> ref) {
    double want = GanFixtures.tensor(ref, "r1").toFloatArray()[0];
    System.out.printf("%s: r1 %.6g, official %.6g, |diff| %.3g%n", what, r1, want,
        Math.abs(r1 - want));
    assertThat(r1).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5 * Math.abs(want)));
  }

  private static void checkGradients(String what, Map<String, NDArray> params,
      Map<String, Object> ref, double weight) {
    Map<String, TensorData> want = GanFixtures.tensors(ref, "r1_grad_params");
    double worstRelative = 0;
    for (Map.Entry<String, TensorData> e : want.entrySet()) {
      float[] w = e.getValue().toFloatArray();
      for (int i = 0; i < w.length; i++) {
        w[i] *= (float) weight;
      }
      float[] got = params.get(e.getKey()).getGradient().toFloatArray();
      double diff = GanFixtures.maxAbsDiff(got, w);
      double scale = GanFixtures.maxAbs(w);
      worstRelative = Math.max(worstRelative, scale == 0 ? diff : diff / scale);
      System.out.printf("%s d r1 / d %s: max |diff| %.3g (max |want| %.3g)%n", what, e.getKey(),
          diff, scale);
      assertThat(diff).as(e.getKey()).isLessThanOrEqualTo(1e-4 * Math.max(scale, 1e-6));
    }
    System.out.printf("%s: worst relative difference over %d parameters %.3g%n", what,
        want.size(), worstRelative);
    // every weight is reached; the biases after the stddev layer only move the kinks of a
    // piecewise-linear map, so their exact R1 gradient is 0
    List<String> zero = want.entrySet().stream()
        .filter(e -> GanFixtures.maxAbs(e.getValue().toFloatArray()) == 0).map(Map.Entry::getKey)
        .toList();
    assertThat(zero).as("parameters without R1 gradient")
        .containsExactlyInAnyOrder("final_conv.1.bias", "final_linear.0.bias", "final_linear.1.bias");
  }
}
