package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The logistic losses and their gradients against the reference train.py definitions, on logits
 * that reach both branches of softplus (|x| up to 25, beyond its threshold of 20).
 */
class GanLossesTest {

  @Test
  void lossesAndGradientsMatchTheReference() {
    Map<String, Object> ref = GanFixtures.load("losses.pt");
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      NDArray real = DjlTensorOps.toNDArray(m, GanFixtures.tensor(ref, "real"));
      NDArray fake = DjlTensorOps.toNDArray(m, GanFixtures.tensor(ref, "fake"));
      real.setRequiresGradient(true);
      fake.setRequiresGradient(true);
      try (GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        NDArray d = GanLosses.discriminator(real, fake);
        check("d_logistic_loss", d.getFloat(), ref, "d_loss");
        gc.backward(d);
      }
      DiscriminatorParityTest.compare("d_loss / d real", real.getGradient().toFloatArray(),
          GanFixtures.tensor(ref, "d_grad_real").toFloatArray());
      DiscriminatorParityTest.compare("d_loss / d fake", fake.getGradient().toFloatArray(),
          GanFixtures.tensor(ref, "d_grad_fake").toFloatArray());
      fake.getGradient().subi(fake.getGradient());
      try (GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        NDArray g = GanLosses.generator(fake);
        check("g_nonsaturating_loss", g.getFloat(), ref, "g_loss");
        gc.backward(g);
      }
      DiscriminatorParityTest.compare("g_loss / d fake", fake.getGradient().toFloatArray(),
          GanFixtures.tensor(ref, "g_grad_fake").toFloatArray());
    }
  }

  private static void check(String what, double got, Map<String, Object> ref, String key) {
    double want = GanFixtures.tensor(ref, key).toFloatArray()[0];
    System.out.printf("%s: %.7f, reference %.7f%n", what, got, want);
    assertThat(got).isCloseTo(want, Offset.offset(1e-6 * Math.max(1, Math.abs(want))));
  }
}
