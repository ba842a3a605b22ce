package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psp.io.TensorData;
import dev.psp.testing.ToyEngineProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine-independent pSp forward logic, on the toy engine whose networks are known functions. */
class PspModelTest {
  private static final int N = 6; // 16 px generator
  private static final int DIM = 4;

  private static PspModel model(Map<String, Object> opts, TensorData latentAvg) throws Exception {
    ModelConfig c = ModelConfig.fromOpts(opts, latentAvg != null);
    return new PspModel(c, new ToyEngineProvider.ToyModel(c.encoderRows() == 1 ? 1 : N, 16, DIM), "toy",
        Device.cpu(), java.nio.file.Path.of("toy.pt"), latentAvg, DIM);
  }

  private static TensorData input(float value, int batch, int channels) {
    float[] v = new float[batch * channels * 256 * 256];
    for (int b = 0; b < batch; b++) {
      Arrays.fill(v, b * channels * 65536, (b + 1) * channels * 65536, value * (b + 1));
    }
    return TensorData.ofFloats(v, batch, channels, 256, 256);
  }

  private static TensorData avgRows() {
    float[] v = new float[N * DIM];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return TensorData.ofFloats(v, N, DIM);
  }

  @Test
  void encoderAddsAnNByDimLatentAvgRowByRow() throws Exception {
    try (PspModel m = model(Map.of("output_size", 16L, "start_from_latent_avg", true), avgRows())) {
      LatentCode c = m.encoder().encode(input(0.5f, 2, 3));
      // toy: codes[b,i,k] = mean(x_b) (i+1) + k/1000; mean(x_1) = 1.0
      assertThat(c.row(1, 2)[3]).isCloseTo(1.0f * 3 + 0.003f + (2 * DIM + 3), within(1e-5f));
      assertThat(c.row(0, 0)[0]).isCloseTo(0.5f, within(1e-6f));
    }
  }

  @Test
  void aSingleRowLatentAvgIsBroadcastOverAllRows() throws Exception {
    TensorData avg = TensorData.ofFloats(new float[] {10, 20, 30, 40}, DIM);
    try (PspModel m = model(Map.of("output_size", 16L), avg)) {
      LatentCode c = m.encoder().encode(input(0f, 1, 3));
      assertThat(c.row(0, 5)).containsExactly(new float[] {10, 20.001f, 30.002f, 40.003f}, within(1e-5f));
    }
  }

  @Test
  void learnInWRepeatsTheSingleCode() throws Exception {
    TensorData avg = TensorData.ofFloats(new float[] {1, 1, 1, 1}, 1, DIM);
    try (PspModel m = model(Map.of("output_size", 16L, "learn_in_w", true,
        "encoder_type", "BackboneEncoderUsingLastLayerIntoW"), avg)) {
      LatentCode c = m.encoder().encode(input(2f, 1, 3));
      assertThat(c.nStyles()).isEqualTo(N);
      assertThat(c.row(0, 4)).containsExactly(c.row(0, 0));
      assertThat(c.row(0, 0)[1]).isCloseTo(2 + 0.001f + 1, within(1e-6f));
    }
  }

  @Test
  void noLatentAvgWhenTheModelDoesNotStartFromIt() throws Exception {
    try (PspModel m = model(Map.of("output_size", 16L, "start_from_latent_avg", false), avgRows())) {
      assertThat(m.encoder().encode(input(0f, 1, 3)).row(0, 5)[0]).isEqualTo(0f);
    }
  }

  @Test
  void wrongInputShapesSayWhatIsExpected() throws Exception {
    try (PspModel m = model(Map.of("output_size", 16L, "input_nc", 1L, "label_nc", 1L), avgRows())) {
      assertThatThrownBy(() -> m.encoder().encode(input(0f, 1, 3)))
          .hasMessageContaining("[B, 1, 256, 256]").hasMessageContaining("takes 1 channel(s)");
      assertThatThrownBy(() -> m.encoder().encode(TensorData.ofFloats(new float[128 * 128], 1, 1, 128, 128)))
          .hasMessageContaining("only work at 256x256");
      assertThatThrownBy(() -> m.generator().synthesize(LatentCode.of(new float[4 * DIM], 1, 4, DIM),
          Noise.fixed(), OutputSize.FULL)).hasMessageContaining("takes 6");
    }
  }

  @Test
  void seededNoiseIsDeterministicAndFixedNoiseUsesTheBuffers() throws Exception {
    try (PspModel m = model(Map.of("output_size", 16L), avgRows())) {
      LatentCode c = m.encoder().encode(input(0.1f, 2, 3));
      TensorData fixed = m.generator().synthesize(c, Noise.fixed(), OutputSize.FULL);
      TensorData a = m.generator().synthesize(c, Noise.seeded(7), OutputSize.FULL);
      TensorData b = m.generator().synthesize(c, Noise.seeded(7), OutputSize.FULL);
      TensorData other = m.generator().synthesize(c, Noise.seeded(8), OutputSize.FULL);
      assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
      assertThat(a.toFloatArray()).isNotEqualTo(other.toFloatArray());
      assertThat(fixed.shape()).containsExactly(2, 3, 16, 16);
      // fixed noise: the toy image is flat, the sum of the rows' channel values
      float[] f = fixed.toFloatArray();
      assertThat(f[0]).isEqualTo(f[255]);
      assertThat(m.generator().synthesize(c, Noise.fixed(), OutputSize.POOLED).shape()).containsExactly(2, 3, 256, 256);
    }
  }

  @Test
  void eachSampleDrawsItsOwnStreamWhateverElseIsInTheBatch() {
    List<TensorData> pair = PspModel.seededNoise(Noise.seeded(3), 2, 10);
    List<TensorData> second = PspModel.seededNoise(Noise.seeded(3).fromSample(1), 1, 10);
    List<TensorData> swapped = PspModel.seededNoise(Noise.seeded(3).withStreams(1, 0), 2, 10);
    for (int i = 0; i < pair.size(); i++) {
      float[] p = pair.get(i).toFloatArray();
      int plane = p.length / 2;
      float[] first = Arrays.copyOfRange(p, 0, plane);
      float[] other = Arrays.copyOfRange(p, plane, 2 * plane);
      assertThat(second.get(i).toFloatArray()).as("layer %d", i).containsExactly(other);
      assertThat(swapped.get(i).toFloatArray()).as("layer %d", i).containsExactly(concat(other, first));
      assertThat(first).isNotEqualTo(other);
    }
    assertThatThrownBy(() -> PspModel.seededNoise(Noise.seeded(3).withStreams(1), 2, 10))
        .hasMessageContaining("1 stream numbers, the batch 2 samples");
    assertThatThrownBy(() -> Noise.seeded(3).fromSample(-1)).hasMessageContaining(">= 0");
    assertThat(Noise.fixed().fromSample(4)).isSameAs(Noise.fixed());
    assertThat(Noise.seeded(3).withStreams(2, 5)).isEqualTo(Noise.seeded(3).withStreams(2, 5))
        .isNotEqualTo(Noise.seeded(3).fromSample(2)).hasToString("seeded(3, streams [2, 5])");
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void seededNoiseHasTheGeneratorsLayerShapes() {
    List<TensorData> n = PspModel.seededNoise(Noise.seeded(1), 2, 18);
    assertThat(n).hasSize(17);
    assertThat(n.get(0).shape()).containsExactly(2, 1, 4, 4);
    assertThat(n.get(1).shape()).containsExactly(2, 1, 8, 8);
    assertThat(n.get(2).shape()).containsExactly(2, 1, 8, 8);
    assertThat(n.get(16).shape()).containsExactly(2, 1, 1024, 1024);
    double sum = 0;
    double sq = 0;
    float[] v = n.get(16).toFloatArray();
    for (float x : v) {
      sum += x;
      sq += x * x;
    }
    assertThat(sum / v.length).isCloseTo(0, within(0.01));
    assertThat(sq / v.length).isCloseTo(1, within(0.01));
  }

  @Test
  void mappingAndRandomCodesGoThroughTheEngine() throws Exception {
    try (PspModel m = model(Map.of("output_size", 16L), avgRows())) {
      LatentCode w = m.generator().mapping(TensorData.ofFloats(new float[] {0, 1, 2, 3}, 1, DIM));
      assertThat(w.row(0, 5)).containsExactly(1, 3, 5, 7);
      assertThat(m.generator().randomCodes(2, 5)).isEqualTo(m.generator().randomCodes(2, 5));
      assertThat(m.generator().randomCodes(1, 5)).isNotEqualTo(m.generator().randomCodes(1, 6));
      // toy mapping is 2z+1, so the mean latent of N(0,1) samples is close to 1
      assertThat(m.generator().meanLatent(4000, 3).row(0, 0)[2]).isCloseTo(1f, within(0.1f));
    }
  }

  @Test
  void closingIsIdempotentAndStopsUse() throws Exception {
    int before = ToyEngineProvider.OPEN_MODELS.get();
    PspModel m = model(Map.of("output_size", 16L), avgRows());
    assertThat(ToyEngineProvider.OPEN_MODELS.get()).isEqualTo(before + 1);
    m.close();
    m.close();
    assertThat(ToyEngineProvider.OPEN_MODELS.get()).isEqualTo(before);
    assertThatThrownBy(() -> m.encoder().encode(input(0f, 1, 3))).hasMessageContaining("closed");
  }
}
