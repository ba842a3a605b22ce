package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import dev.psp.nn.stylegan2.Generator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Style mixing: the W+ codes built for every crossover index give the official {@code
 * Generator.forward([z1, z2], inject_index=i)} images (narrow generator, stored noise); one latent
 * gives {@code forward([z1])}; the sampled decisions and indices follow the probability and range.
 */
class MixingNoiseTest {

  @Test
  void mixedCodesReproduceTheOfficialTwoStyleForward() {
    Map<String, Object> ref = GanFixtures.load("mixing_16px.pt");
    StyleGan2Config config = new StyleGan2Config(16, GanFixtures.intOf(ref, "config", "width_divisor"),
        GanFixtures.intOf(ref, "config", "n_mlp"));
    Generator g = config.generator();
    Map<String, TensorData> sd = GanFixtures.tensors(ref, "state_dict");
    assertThat(g.stateDictSpec().validateTensors(sd)).isEmpty();
    List<TensorData> mixed = GanFixtures.list(ref, "mixed");
    assertThat(mixed).hasSize(g.nLatent() - 1);
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      DjlTensorOps ops = new DjlTensorOps(m, DjlTensorOps.toNDArrays(m, sd));
      NDArray w1 = g.mapping(ops, DjlTensorOps.toNDArray(m, GanFixtures.tensor(ref, "z1")));
      NDArray w2 = g.mapping(ops, DjlTensorOps.toNDArray(m, GanFixtures.tensor(ref, "z2")));
      for (int i = 1; i < g.nLatent(); i++) {
        NDArray img = g.forward(ops, MixingNoise.codes(ops, g, w1, w2, i), g.storedNoises(ops));
        DiscriminatorParityTest.compare("mixed image, inject_index " + i, img.toFloatArray(),
            mixed.get(i - 1).toFloatArray());
      }
      NDArray single = g.forward(ops, MixingNoise.codes(ops, g, w1, null, g.nLatent()),
          g.storedNoises(ops));
      DiscriminatorParityTest.compare("single style", single.toFloatArray(),
          GanFixtures.tensor(ref, "single").toFloatArray());
    }
  }

  @Test
  void samplesFollowTheProbabilityAndIndexRange() {
    SplittableRandom rng = new SplittableRandom(3);
    int mixing = 0;
    Set<Integer> indices = new HashSet<>();
    int trials = 4000;
    for (int t = 0; t < trials; t++) {
      MixingNoise.Latents l = MixingNoise.sample(rng, 2, 8, 10, 0.9);
      assertThat(l.z1()).hasSize(16);
      if (l.mixing()) {
        mixing++;
        assertThat(l.z2()).hasSize(16);
        indices.add(l.injectIndex());
      } else {
        assertThat(l.injectIndex()).isEqualTo(10);
      }
    }
    System.out.printf("mixing in %d of %d batches; indices %s%n", mixing, trials, indices);
    // 0.9 · 4000 = 3600, binomial sd 19
    assertThat(mixing).isBetween(3500, 3700);
    assertThat(indices).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(MixingNoise.sample(rng, 2, 8, 10, 0).mixing()).isFalse();
  }
}
