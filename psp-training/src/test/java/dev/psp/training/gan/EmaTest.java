package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The moving average against the formula in double precision; keys outside the list stay. */
class EmaTest {

  @Test
  void movesEachListedArrayTowardsTheModel() {
    SplittableRandom rng = new SplittableRandom(4);
    float[] a = MixingNoise.gaussian(rng, 50);
    float[] b = MixingNoise.gaussian(rng, 50);
    float[] c = MixingNoise.gaussian(rng, 6);
    double decay = Ema.STYLEGAN2_DECAY;
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      Map<String, NDArray> ema = Map.of("w", m.create(a), "buf", m.create(c));
      NDArray model = m.create(b);
      model.setRequiresGradient(true);
      Ema.accumulate(ema, Map.of("w", model, "buf", m.create(new float[6])), List.of("w"), decay);
      float[] got = ema.get("w").toFloatArray();
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - (decay * a[i] + (1 - decay) * b[i])));
      }
      System.out.printf("ema max |diff| from the double-precision formula %.3g%n", worst);
      assertThat(worst).isLessThan(1e-6);
      assertThat(ema.get("buf").toFloatArray()).containsExactly(c);
      Ema.accumulate(ema, Map.of("w", model), List.of("w"), 0);
      assertThat(ema.get("w").toFloatArray()).containsExactly(b);
      assertThatThrownBy(() -> Ema.accumulate(ema, Map.of("w", model), List.of("w"), 1.5))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decay");
      assertThat(Ema.STYLEGAN2_DECAY).isCloseTo(0.99778, org.assertj.core.data.Offset.offset(1e-5));
    }
  }
}
