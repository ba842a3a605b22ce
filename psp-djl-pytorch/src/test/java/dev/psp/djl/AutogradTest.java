package dev.psp.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.io.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the small generator (through the mapping network, the polyphase upsampling fold,
 * demodulation, noise, fused leaky ReLU and the ToRGB upsampler) agree with central finite
 * differences, also when the garbage collector runs between forward and backward; and a single
 * sample (which modulates the weights instead of the feature maps) gets the same gradients as it
 * does inside a batch.
 */
class AutogradTest {

  @Test
  void generatorGradientsMatchFiniteDifferences() {
    FixtureIndex index = FixtureIndex.load();
    Map<String, TensorData> sd = index.params("generator_small");
    FixtureIndex.Run run = index.run("generator_small", "z");
    var g = ModuleParityTest.smallGenerator();
    Random rng = new Random(5);
    float[] r = new float[2 * 3 * 16 * 16];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) rng.nextGaussian();
    }
    String[] keys = {"convs.0.conv.weight", "convs.2.conv.weight", "convs.2.conv.modulation.bias",
        "convs.1.noise.weight", "conv1.activate.bias", "to_rgbs.0.conv.weight", "style.3.weight",
        "input.input"};

    try (NDManager root = Engine.getEngine("PyTorch").newBaseManager()) {
      Map<String, NDArray> params = DjlTensorOps.toNDArrays(root, sd);
      NDArray z = DjlTensorOps.toNDArray(root, run.inputs().get("styles"));
      NDArray weights = root.create(r, new ai.djl.ndarray.types.Shape(2, 3, 16, 16));
      Function<NDManager, NDArray> loss = m -> {
        DjlTensorOps ops = new DjlTensorOps(m, params);
        NDArray image = g.forward(ops, g.mapping(ops, z), g.storedNoises(ops));
        return ops.sum(ops.mul(image, weights), new int[] {0, 1, 2, 3}, false);
      };

      for (String k : keys) {
        params.get(k).setRequiresGradient(true);
      }
      List<float[]> grads = gradients(root, params, keys, loss);

      for (int p = 0; p < keys.length; p++) {
        NDArray param = params.get(keys[p]);
        // small steps, as the loss is strongly curved along some directions (modulation biases);
        // mapping weights act through lr_mul = 0.01, so their step is 1/lr_mul larger
        double eps = keys[p].startsWith("style.") ? 1e-1 : 1e-3;
        float[] base = param.toFloatArray();
        for (int trial = 0; trial < 3; trial++) {
          int i = rng.nextInt(base.length);
          float[] v = base.clone();
          v[i] = (float) (base[i] + eps);
          param.set(v);
          double up = eval(root, loss);
          v[i] = (float) (base[i] - eps);
          param.set(v);
          double down = eval(root, loss);
          param.set(base);
          double fd = (up - down) / (2 * eps);
          double ad = grads.get(p)[i];
          System.out.printf("d loss / d %s[%d]: autograd %.6f, finite difference %.6f%n", keys[p],
              i, ad, fd);
          assertThat(ad).as("%s[%d]", keys[p], i).isCloseTo(fd,
              org.assertj.core.data.Offset.offset(1e-2 + 3e-2 * Math.abs(fd)));
        }
      }
    }
  }

  /** Autograd gradients of the loss for the parameters under {@code keys}, with a GC before backward. */
  private static List<float[]> gradients(NDManager root, Map<String, NDArray> params, String[] keys,
      Function<NDManager, NDArray> loss) {
    for (String k : keys) {
      params.get(k).setRequiresGradient(true);
    }
    List<float[]> grads = new ArrayList<>();
    try (NDManager call = root.newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray l = loss.apply(call);
      System.gc();
      System.runFinalization();
      gc.backward(l);
      for (String k : keys) {
        grads.add(params.get(k).getGradient().toFloatArray());
      }
    }
    for (String k : keys) {
      params.get(k).setRequiresGradient(false);
    }
    return grads;
  }

  @Test
  void singleSampleGradientsEqualThoseInsideABatch() {
    FixtureIndex index = FixtureIndex.load();
    Map<String, TensorData> sd = index.params("generator_small");
    TensorData styles = index.run("generator_small", "z").inputs().get("styles");
    var g = ModuleParityTest.smallGenerator();
    Random rng = new Random(6);
    float[] r = new float[2 * 3 * 16 * 16];
    for (int i = 0; i < r.length / 2; i++) {
      r[i] = (float) rng.nextGaussian(); // the second sample's weights stay 0: it adds nothing
    }
    String[] keys = {"convs.0.conv.weight", "convs.1.conv.weight", "convs.2.conv.weight",
        "convs.2.conv.modulation.bias", "convs.0.noise.weight", "convs.1.activate.bias",
        "to_rgb1.conv.weight", "to_rgbs.0.conv.weight", "to_rgbs.0.bias", "style.3.weight",
        "input.input"};
    try (NDManager root = Engine.getEngine("PyTorch").newBaseManager()) {
      List<List<float[]>> runs = new ArrayList<>();
      for (int batch : new int[] {1, 2}) {
        // fresh parameters: gradients accumulate
        Map<String, NDArray> params = DjlTensorOps.toNDArrays(root, sd);
        NDArray z = DjlTensorOps.toNDArray(root, batch == 2 ? styles : ModuleParityTest.sample(styles, 0));
        NDArray weights = root.create(java.util.Arrays.copyOf(r, batch * 3 * 16 * 16),
            new ai.djl.ndarray.types.Shape(batch, 3, 16, 16));
        runs.add(gradients(root, params, keys, m -> {
          DjlTensorOps ops = new DjlTensorOps(m, params);
          NDArray image = g.forward(ops, g.mapping(ops, z), g.storedNoises(ops));
          return ops.sum(ops.mul(image, weights), new int[] {0, 1, 2, 3}, false);
        }));
      }
      for (int p = 0; p < keys.length; p++) {
        float[] single = runs.get(0).get(p);
        float[] batched = runs.get(1).get(p);
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < single.length; i++) {
          largest = Math.max(largest, Math.abs(batched[i]));
          worst = Math.max(worst, Math.abs(single[i] - batched[i]));
        }
        System.out.printf("d loss / d %s: max |single - batched| %.3g of max |grad| %.3g%n", keys[p],
            worst, largest);
        assertThat(largest).as(keys[p]).isGreaterThan(0);
        assertThat(worst).as(keys[p]).isLessThanOrEqualTo(1e-4 * largest);
      }
    }
  }

  private static double eval(NDManager root, Function<NDManager, NDArray> loss) {
    try (NDManager call = root.newSubManager()) {
      return loss.apply(call).getFloat();
    }
  }
}
