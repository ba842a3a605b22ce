package dev.psp.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psp.Generator;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ScoredSamplesTest {
  private static final int DIM = 8;
  private static final int ROWS = 4;

  /** A generator whose image is grey at level w·(0.6, 0, 0, −0.8, 0, …): the attribute lives along that axis. */
  private static final class LinearGenerator implements Generator {
    static final float[] AXIS = {0.6f, 0, 0, -0.8f, 0, 0, 0, 0};
    int calls;

    @Override
    public TensorData synthesize(LatentCode codes, Noise noise, OutputSize size) {
      calls++;
      int b = codes.batchSize();
      float[] v = new float[b * 3 * 4 * 4];
      for (int i = 0; i < b; i++) {
        float[] w = codes.row(i, 0);
        double level = 0;
        for (int k = 0; k < DIM; k++) {
          level += w[k] * AXIS[k];
        }
        java.util.Arrays.fill(v, i * 48, (i + 1) * 48, (float) Math.tanh(level / 3));
      }
      return TensorData.ofFloats(v, b, 3, 4, 4);
    }

    @Override
    public LatentCode mapping(TensorData z) {
      return LatentCode.repeatW(z.toFloatArray(), Math.toIntExact(z.shape()[0]), ROWS, DIM);
    }

    @Override
    public LatentCode randomCodes(int count, long seed) {
      Random r = new Random(seed);
      float[] z = new float[count * DIM];
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) r.nextGaussian();
      }
      return mapping(TensorData.ofFloats(z, count, DIM));
    }

    @Override
    public LatentCode meanLatent(int samples, long seed) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int outputSize() {
      return 4;
    }

    @Override
    public int nStyles() {
      return ROWS;
    }
  }

  private static double brightness(BufferedImage image) {
    return image.getRGB(0, 0) & 0xff;
  }

  @Test
  void keepsTheHighestAndLowestScoredSamplesAndTheirBoundaryIsTheGeneratorsAxis() {
    LinearGenerator g = new LinearGenerator();
    int[] reports = new int[2];
    ScoredSamples.Examples e = ScoredSamples.draw(g, ScoredSamplesTest::brightness, 403, 0.25, 7,
        done -> { reports[0]++; reports[1] = done; });
    assertThat(g.calls).isEqualTo(51); // batches of 8, the last one of 3
    assertThat(reports).containsExactly(51, 403);
    assertThat(e.samples().batchSize()).isEqualTo(403);
    assertThat(e.samples().nStyles()).isEqualTo(1);
    assertThat(e.positives().batchSize()).isEqualTo(100);
    assertThat(e.negatives().batchSize()).isEqualTo(100);
    // every kept positive scores at least as high as every sample left out, every negative at most as low
    double minPositive = Double.POSITIVE_INFINITY;
    double maxNegative = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 100; i++) {
      minPositive = Math.min(minPositive, level(e.positives().row(i, 0)));
      maxNegative = Math.max(maxNegative, level(e.negatives().row(i, 0)));
    }
    assertThat(minPositive).isGreaterThan(0.3);
    assertThat(maxNegative).isLessThan(-0.3);
    int above = 0;
    for (int i = 0; i < 403; i++) {
      if (level(e.samples().row(i, 0)) > minPositive + 0.05) {
        above++;
      }
    }
    assertThat(above).isLessThanOrEqualTo(100);
    // InterFaceGAN's boundary on them points along the axis the images depend on
    float[] d = BoundaryLearner.interFaceGan().learn(e.positives(), e.negatives()).direction().values();
    double cos = 0;
    for (int k = 0; k < DIM; k++) {
      cos += d[k] * LinearGenerator.AXIS[k];
    }
    assertThat(cos).isGreaterThan(0.95);
    // w ~ N(0, I): the spread along a unit direction is about 1
    assertThat(e.spread(LinearGenerator.AXIS)).isCloseTo(1.0, within(0.1));
  }

  private static double level(float[] w) {
    double level = 0;
    for (int k = 0; k < DIM; k++) {
      level += w[k] * LinearGenerator.AXIS[k];
    }
    return level;
  }

  @Test
  void isDeterministicForASeedAndDiffersAcrossSeeds() {
    ScoredSamples.Examples a = ScoredSamples.draw(new LinearGenerator(), ScoredSamplesTest::brightness, 40, 0.1, 3);
    ScoredSamples.Examples b = ScoredSamples.draw(new LinearGenerator(), ScoredSamplesTest::brightness, 40, 0.1, 3);
    ScoredSamples.Examples c = ScoredSamples.draw(new LinearGenerator(), ScoredSamplesTest::brightness, 40, 0.1, 4);
    assertThat(a.samples()).isEqualTo(b.samples());
    assertThat(a.scores()).containsExactly(b.scores());
    assertThat(a.samples()).isNotEqualTo(c.samples());
  }

  /** Darkness: the opposite order to brightness, and other ties (levels are rounded to bytes). */
  private static double darkness(BufferedImage image) {
    return 255 - (image.getRGB(0, 0) & 0xff) + 0.5 * ((image.getRGB(0, 0) & 0xff) % 3);
  }

  @Test
  void drawingForSeveralScoresSynthesisesOnceAndGivesWhatEachSingleDrawGives() {
    LinearGenerator g = new LinearGenerator();
    int[] reports = new int[1];
    List<ScoredSamples.Examples> both = ScoredSamples.drawAll(g,
        List.<ToDoubleFunction<BufferedImage>>of(ScoredSamplesTest::brightness, ScoredSamplesTest::darkness),
        403, 0.25, 7, done -> reports[0] = done);
    assertThat(g.calls).isEqualTo(51); // one synthesis for both scores
    assertThat(reports[0]).isEqualTo(403);
    assertThat(both).hasSize(2);
    ScoredSamples.Examples bright = ScoredSamples.draw(new LinearGenerator(), ScoredSamplesTest::brightness, 403, 0.25, 7);
    ScoredSamples.Examples dark = ScoredSamples.draw(new LinearGenerator(), ScoredSamplesTest::darkness, 403, 0.25, 7);
    for (int k = 0; k < 2; k++) {
      ScoredSamples.Examples single = k == 0 ? bright : dark;
      assertThat(both.get(k).samples()).isEqualTo(single.samples());
      assertThat(both.get(k).scores()).containsExactly(single.scores());
      assertThat(both.get(k).positives()).isEqualTo(single.positives());
      assertThat(both.get(k).negatives()).isEqualTo(single.negatives());
    }
    // the two scores order the samples differently, so their examples differ
    assertThat(both.get(1).positives()).isNotEqualTo(both.get(0).positives());
    assertThat(level(both.get(1).positives().row(0, 0))).isLessThan(-0.3);
    assertThatThrownBy(() -> ScoredSamples.drawAll(g, List.of(), 10, 0.5, 1, done -> { }))
        .hasMessageContaining("at least one");
  }

  @Test
  void refusesFractionsThatKeepNothingAndScoresThatAreNotNumbers() {
    LinearGenerator g = new LinearGenerator();
    assertThatThrownBy(() -> ScoredSamples.draw(g, ScoredSamplesTest::brightness, 10, 0.6, 1))
        .hasMessageContaining("(0, 0.5]");
    assertThatThrownBy(() -> ScoredSamples.draw(g, ScoredSamplesTest::brightness, 10, 0.05, 1))
        .hasMessageContaining("keeps no example per side");
    assertThatThrownBy(() -> ScoredSamples.draw(g, image -> Double.NaN, 10, 0.5, 1))
        .hasMessageContaining("sample 0 is NaN");
  }
}
