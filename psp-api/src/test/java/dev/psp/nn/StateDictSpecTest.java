package dev.psp.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.ModelMismatchException;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import dev.psp.EncoderType;
import dev.psp.nn.stylegan2.Generator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checkpoint validator reports every missing, unexpected, mis-shaped, mis-typed and altered entry. */
class StateDictSpecTest {

  private static Map<String, long[]> shapesOf(StateDictSpec spec) {
    Map<String, long[]> m = new LinkedHashMap<>();
    spec.entries().forEach(e -> m.put(e.key(), e.shape()));
    return m;
  }

  /** A complete state_dict for {@code spec}, every tensor created from its official init. */
  private static Map<String, TensorData> initialised(StateDictSpec spec) {
    SplittableRandom rng = new SplittableRandom(7);
    Map<String, TensorData> m = new LinkedHashMap<>();
    for (StateDictSpec.Entry e : spec.entries()) {
      int n = Math.toIntExact(e.numel());
      float[] v = e.init().sample(n, rng);
      if (e.dtype() == DType.INT64) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = (long) v[i];
        }
        m.put(e.key(), TensorData.ofLongs(l, e.shape()));
      } else {
        m.put(e.key(), TensorData.ofFloats(v, e.shape()));
      }
    }
    return m;
  }

  @Test
  void aMatchingStateDictHasNoProblems() {
    StateDictSpec spec = new PspNetwork(256, 3, EncoderType.GRADUAL_STYLE).stateDictSpec();
    assertThat(spec.validate(shapesOf(spec))).isEmpty();
  }

  @Test
  void allProblemsAreReportedTogether() {
    StateDictSpec spec = new PspNetwork(256, 3, EncoderType.GRADUAL_STYLE).stateDictSpec();
    Map<String, long[]> shapes = shapesOf(spec);
    shapes.remove("encoder.latlayer2.bias");
    shapes.remove("decoder.noises.noise_12");
    shapes.put("decoder.conv1.conv.weight", new long[] {512, 512, 3, 3});
    shapes.put("encoder.input_layer.0.weight", new long[] {64, 1, 3, 3});
    shapes.put("decoder.upsamples.0.kernel", new long[] {4, 4});
    shapes.put("module.encoder.foo", new long[] {});

    List<String> problems = spec.validate(shapes);

    assertThat(problems).containsExactly(
        "shape mismatch for encoder.input_layer.0.weight: checkpoint [64, 1, 3, 3], architecture [64, 3, 3, 3]",
        "missing key encoder.latlayer2.bias [512]",
        "shape mismatch for decoder.conv1.conv.weight: checkpoint [512, 512, 3, 3], architecture [1, 512, 512, 3, 3]",
        "missing key decoder.noises.noise_12 [1, 1, 256, 256]",
        "unexpected key decoder.upsamples.0.kernel [4, 4]",
        "unexpected key module.encoder.foo []");
  }

  @Test
  void officialInitialisationPassesTheTensorCheck() throws ModelMismatchException {
    StateDictSpec spec = new Generator("decoder.", 16, 32, 2, 2).stateDictSpec();
    spec.check(initialised(spec), "fresh generator");
  }

  @Test
  void alteredKernelBuffersAndWrongDtypesAreReported() {
    StateDictSpec spec = new PspNetwork(256, 1, EncoderType.INTO_W)
        .decoder().stateDictSpec();
    Map<String, TensorData> sd = initialised(spec);
    float[] box = new float[16];
    java.util.Arrays.fill(box, 1f / 16);
    sd.put("decoder.convs.4.conv.blur.kernel", TensorData.ofFloats(box, 4, 4));
    float[] upsample = sd.get("decoder.to_rgbs.2.upsample.kernel").toFloatArray();
    upsample[0] += 1e-3f;
    sd.put("decoder.to_rgbs.2.upsample.kernel", TensorData.ofFloats(upsample, 4, 4));
    sd.put("decoder.noises.noise_0", TensorData.ofLongs(new long[16], 1, 1, 4, 4));

    List<String> problems = spec.validateTensors(sd);

    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith("value mismatch for decoder.convs.4.conv.blur.kernel")
        .contains("make_kernel([1,3,3,1])×4");
    assertThat(problems.get(1)).startsWith("value mismatch for decoder.to_rgbs.2.upsample.kernel");
    assertThat(problems.get(2)).isEqualTo(
        "dtype mismatch for decoder.noises.noise_0: checkpoint INT64, architecture FLOAT32");
    assertThatThrownBy(() -> spec.check(sd, "ckpt.pt"))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageStartingWith("ckpt.pt: 3 problems: value mismatch for decoder.convs.4.conv.blur.kernel")
        .hasMessageNotContaining("\n").hasMessageNotContaining(" more");
    java.util.List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add("p" + i);
    }
    assertThat(new dev.psp.ModelMismatchException("f.pt", many, "set -s x=1"))
        .hasMessage("f.pt: 60 problems: p0; p1; p2; and 57 more. set -s x=1");
  }

  @Test
  void kernelBuffersAreMakeKernelTimesFour() {
    StateDictSpec.Entry e = new Generator("", 8, 8, 1, 2).stateDictSpec()
        .get("convs.0.conv.blur.kernel");
    assertThat(e.kind()).isEqualTo(StateDictSpec.Kind.BUFFER);
    float[] k = ((Init.Fixed) e.init()).values();
    float[] k1 = {1, 3, 3, 1};
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertThat(k[i * 4 + j]).isEqualTo(k1[i] * k1[j] / 64f * 4f);
      }
    }
  }

  @Test
  void duplicateKeysAreRejected() {
    StateDictSpec.Builder b = StateDictSpec.builder().parameter("a", new Init.Constant(0), 1);
    assertThatThrownBy(() -> b.parameter("a", new Init.Constant(0), 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("duplicate state_dict key a");
  }
}
