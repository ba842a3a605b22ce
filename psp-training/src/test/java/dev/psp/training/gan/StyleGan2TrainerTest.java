package dev.psp.training.gan;

import dev.psp.training.TrainingListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.io.TensorData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StyleGAN2 training on a toy distribution (16 px, width/32, n_mlp 2, batch 4): it moves the
 * generator's colours to the data's, holds a constant number of native arrays, repeats itself for
 * a seed, and continues exactly from a checkpoint.
 */
class StyleGan2TrainerTest {
  private static final StyleGan2Config CONFIG = new StyleGan2Config(16, 32, 2);

  @Test
  void trainingMovesTheGeneratedColoursToTheData() {
    ShapesImageSource data = new ShapesImageSource(256, 16, 7);
    double[] target = data.channelMeans();
    int n = 64;
    float[] z = MixingNoise.gaussian(new SplittableRandom(99), n * CONFIG.styleDim());
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, StyleGan2Options.defaults(4, 1))) {
      float[] initialFakes = t.generate(z, n, false);
      double before = distance(channelMeans(initialFakes, n), target);
      List<StepStats> log = new ArrayList<>();
      int[] arrays = new int[2];
      log.addAll(t.train(data, 59, (step, last, losses, secondsPerStep) -> {
        if (step == 4) {
          arrays[0] = t.liveArrays();
        }
        if (step % 10 == 0) {
          System.out.println("step " + step + " " + losses);
        }
      }));
      arrays[1] = t.liveArrays();
      double after = distance(channelMeans(t.generate(z, n, false), n), target);
      double ms = log.stream().skip(5).mapToDouble(StepStats::millis).average().orElseThrow();
      System.out.printf("distance of the mean colour of %d samples from the data's: %.3f before,"
          + " %.3f after 60 steps; %.0f ms per step; native arrays %d at step 4, %d at step 59%n",
          n, before, after, ms, arrays[0], arrays[1]);
      // an untrained generator averages near grey; the data's mean colour is ~1.5 away
      assertThat(before).isGreaterThan(1.0);
      assertThat(after).isLessThan(0.35 * before);
      assertThat(arrays[1]).isEqualTo(arrays[0]);
      // the trained discriminator's advantage (mean logit of real minus fake images) over the
      // trained generator is far below its advantage over the generator it started from
      float[] reals = new float[n * 3 * 16 * 16];
      for (int i = 0; i < n; i++) {
        System.arraycopy(data.image(i), 0, reals, i * 3 * 16 * 16, 3 * 16 * 16);
      }
      double real = mean(t.discriminate(reals, n));
      double gapInitial = real - mean(t.discriminate(initialFakes, n));
      double gapTrained = real - mean(t.discriminate(t.generate(z, n, false), n));
      System.out.printf("trained D's advantage: %.3f over the initial G, %.3f over the trained G%n",
          gapInitial, gapTrained);
      assertThat(gapInitial).isGreaterThan(1.0);
      assertThat(gapTrained).isLessThan(0.5 * gapInitial);
      assertThat(log).allSatisfy(s -> assertThat(Double.isFinite(s.dLoss() + s.gLoss())).isTrue());
      assertThat(log.stream().filter(s -> !Double.isNaN(s.r1())).map(StepStats::step))
          .containsExactly(0L, 16L, 32L, 48L);
    }
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    ShapesImageSource data = new ShapesImageSource(32, 16, 3);
    StyleGan2Options options = StyleGan2Options.defaults(4, 5).withDRegEvery(2);
    List<StepStats> a;
    List<StepStats> b;
    List<StepStats> other;
    StyleGan2Checkpoint ca;
    StyleGan2Checkpoint cb;
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, options)) {
      a = t.train(data, t.steps() + 2, TrainingListener.silent());
      ca = t.checkpoint();
    }
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, options)) {
      b = t.train(data, t.steps() + 2, TrainingListener.silent());
      cb = t.checkpoint();
    }
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, StyleGan2Options.defaults(4, 6))) {
      other = t.train(data, t.steps() + 0, TrainingListener.silent());
    }
    a.forEach(System.out::println);
    for (int i = 0; i < 3; i++) {
      assertThat(losses(b.get(i))).containsExactly(losses(a.get(i)));
    }
    assertSameTensors(cb.gEma(), ca.gEma());
    assertSameTensors(cb.d(), ca.d());
    assertThat(other.get(0).dLoss()).isNotEqualTo(a.get(0).dLoss());
  }

  @Test
  void aResumedRunContinuesExactly(@TempDir Path dir) throws Exception {
    ShapesImageSource data = new ShapesImageSource(32, 16, 4);
    StyleGan2Options options = StyleGan2Options.defaults(4, 8).withDRegEvery(2)
        .withLatentAvgSamples(256);
    List<StepStats> straight;
    StyleGan2Checkpoint end;
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, options)) {
      straight = t.train(data, t.steps() + 4, TrainingListener.silent());
      end = t.checkpoint();
    }
    Path file = dir.resolve("000003.pt");
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, options)) {
      t.train(data, t.steps() + 2, TrainingListener.silent());
      t.save(file);
    }
    List<StepStats> resumed;
    StyleGan2Checkpoint resumedEnd;
    try (StyleGan2Trainer t = StyleGan2Trainer.resume(StyleGan2Checkpoint.read(file))) {
      assertThat(t.steps()).isEqualTo(3);
      resumed = t.train(data, t.steps() + 1, TrainingListener.silent());
      resumedEnd = t.checkpoint();
    }
    for (int i = 0; i < 2; i++) {
      System.out.println("straight " + straight.get(3 + i) + " | resumed " + resumed.get(i));
      assertThat(resumed.get(i).step()).isEqualTo(3 + i);
      assertThat(losses(resumed.get(i))).containsExactly(losses(straight.get(3 + i)));
    }
    assertSameTensors(resumedEnd.g(), end.g());
    assertSameTensors(resumedEnd.d(), end.d());
    assertSameTensors(resumedEnd.gEma(), end.gEma());
    assertSameTensors(resumedEnd.gOptim().state(), end.gOptim().state());
    assertSameTensors(resumedEnd.dOptim().state(), end.dOptim().state());
  }

  static double[] losses(StepStats s) {
    return new double[] {s.dLoss(), s.gLoss(), s.r1(), s.realScore(), s.fakeScore()};
  }

  /** Equal keys (in any order), shapes, dtypes and bytes. */
  static void assertSameTensors(Map<String, TensorData> got, Map<String, TensorData> want) {
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
    want.forEach((k, t) -> {
      assertThat(got.get(k).shape()).as(k).containsExactly(t.shape());
      assertThat(got.get(k).dtype()).as(k).isEqualTo(t.dtype());
      assertThat(got.get(k).bytes()).as(k).isEqualTo(t.bytes());
    });
  }

  /** The mean of each channel of images {@code [n,3,S,S]}. */
  static double[] channelMeans(float[] images, int n) {
    double[] m = new double[3];
    int plane = images.length / (3 * n);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          m[c] += images[(i * 3 + c) * plane + p];
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      m[c] /= (double) n * plane;
    }
    return m;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }
}
