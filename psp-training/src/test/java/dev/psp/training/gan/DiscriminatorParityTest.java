package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import dev.psp.nn.StateDictSpec;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The discriminator against the official {@code model.Discriminator} (narrowed, random non-zero
 * weights): state_dict keys and order, logits, and the gradients of a weighted sum of the logits
 * with respect to the images and every parameter; and the official key order and shapes at
 * every size from 8 to 1024, full width and narrow.
 */
class DiscriminatorParityTest {

  @Test
  void stateDictKeysAndShapesEqualTheOfficialAtEverySize() throws IOException {
    JsonObject all = JsonParser.parseString(
        Files.readString(GanFixtures.path("discriminator_shapes.json"))).getAsJsonObject();
    assertThat(all.keySet()).hasSize(24);
    for (String sizeAndDivisor : all.keySet()) {
      String[] parts = sizeAndDivisor.split("/");
      Discriminator d = new StyleGan2Config(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), 8)
          .discriminator();
      List<String> want = new ArrayList<>();
      for (JsonElement e : all.getAsJsonArray(sizeAndDivisor)) {
        JsonArray pair = e.getAsJsonArray();
        long[] shape = new long[pair.get(1).getAsJsonArray().size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = pair.get(1).getAsJsonArray().get(i).getAsLong();
        }
        want.add(pair.get(0).getAsString() + " " + Arrays.toString(shape));
      }
      List<String> got = d.stateDictSpec().entries().stream()
          .map(e -> e.key() + " " + Arrays.toString(e.shape())).toList();
      assertThat(got).as(sizeAndDivisor).containsExactlyElementsOf(want);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"discriminator_32px_b4.pt", "discriminator_16px_b8.pt"})
  void matchesTheOfficialDiscriminator(String file) {
    Map<String, Object> ref = GanFixtures.load(file);
    int size = GanFixtures.intOf(ref, "config", "size");
    int divisor = GanFixtures.intOf(ref, "config", "width_divisor");
    Map<String, TensorData> sd = GanFixtures.tensors(ref, "state_dict");
    Discriminator d = new StyleGan2Config(size, divisor, 2).discriminator();
    StateDictSpec spec = d.stateDictSpec();
    assertThat(spec.keys()).containsExactlyElementsOf(new ArrayList<>(sd.keySet()));
    assertThat(spec.validateTensors(sd)).isEmpty();

    try (NDManager root = PyTorchEngine.djl().newBaseManager()) {
      Map<String, NDArray> params = DjlTensorOps.toNDArrays(root, sd);
      Map<String, TensorData> wantGrads = GanFixtures.tensors(ref, "grad_params");
      wantGrads.keySet().forEach(k -> params.get(k).setRequiresGradient(true));
      NDArray x = DjlTensorOps.toNDArray(root, GanFixtures.tensor(ref, "x"));
      x.setRequiresGradient(true);
      NDArray weights = DjlTensorOps.toNDArray(root, GanFixtures.tensor(ref, "weights"));
      try (NDManager call = root.newSubManager();
          GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        DjlTensorOps ops = new DjlTensorOps(call, params);
        NDArray out = d.forward(ops, x);
        double outDiff = GanFixtures.maxAbsDiff(out.toFloatArray(),
            GanFixtures.tensor(ref, "out").toFloatArray());
        System.out.printf("%s: logits max |diff| %.3g%n", file, outDiff);
        assertThat(outDiff).isLessThan(1e-5);
        gc.backward(ops.sum(ops.mul(out, weights), new int[] {0, 1}, false));
      }
      compare(file + " d/dx", x.getGradient().toFloatArray(),
          GanFixtures.tensor(ref, "grad_x").toFloatArray());
      for (Map.Entry<String, TensorData> e : wantGrads.entrySet()) {
        compare(file + " d/d " + e.getKey(), params.get(e.getKey()).getGradient().toFloatArray(),
            e.getValue().toFloatArray());
      }
    }
  }

  /** Asserts max |got - want| ≤ 1e-4 · max(max |want|, 1e-3) and prints it. */
  static double compare(String what, float[] got, float[] want) {
    double diff = GanFixtures.maxAbsDiff(got, want);
    double scale = GanFixtures.maxAbs(want);
    System.out.printf("%s: max |diff| %.3g (max |want| %.3g)%n", what, diff, scale);
    assertThat(diff).as(what).isLessThanOrEqualTo(1e-4 * Math.max(scale, 1e-3));
    return diff;
  }
}
