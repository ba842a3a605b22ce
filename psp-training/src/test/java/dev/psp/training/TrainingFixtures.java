package dev.psp.training;

import ai.djl.ndarray.NDArray;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import dev.psp.testing.TinyModels;
import dev.psp.training.data.PairedDataset;
import dev.psp.training.data.Sample;
import dev.psp.training.data.TaskTransforms;
import dev.psp.training.optim.Adam;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models, data and criteria for trainer tests. */
final class TrainingFixtures {
  static final Architecture ARCH = new Architecture(16, List.of(1, 1, 1, 1), 2);
  static final int SIZE = 16;

  private TrainingFixtures() {}

  /** A rosinality-format StyleGAN2 checkpoint ({@code g_ema}, {@code latent_avg}) of a random tiny generator. */
  static Path styleGan(Path dir, long seed, boolean withLatentAvg) throws IOException {
    TensorData avg = null;
    if (withLatentAvg) {
      float[] v = new float[ARCH.styleDim()];
      Random r = new Random(seed);
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (0.2 * r.nextGaussian());
      }
      avg = TensorData.ofFloats(v, v.length);
    }
    return TinyModels.writeStyleGan(dir.resolve("stylegan_tiny.pt"), SIZE, ARCH, seed, avg);
  }

  /** Options of a tiny inversion run in {@code expDir}. */
  static Map<String, Object> tinyOpts(Path expDir, Path stylegan) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("exp_dir", expDir.toString());
    o.put("dataset_type", "ffhq_encode");
    o.put("output_size", (long) SIZE);
    o.put("batch_size", 2L);
    o.put("test_batch_size", 2L);
    o.put("learning_rate", 0.001);
    o.put("optim_name", "adam");
    o.put("start_from_latent_avg", true);
    o.put("lpips_lambda", 0.0);
    o.put("stylegan_weights", stylegan.toString());
    o.put("max_steps", 30L);
    o.put("image_interval", 1000L);
    o.put("board_interval", 1L);
    o.put("val_interval", 1000L);
    o.putAll(ARCH.toOpts());
    return o;
  }

  /** Discs of random colour and position on a plain background: an easy domain to invert. */
  static PairedDataset discs(int count, long seed) {
    TaskTransforms t = new TaskTransforms(TranslationTask.INVERSION, 0, new int[] {1});
    return new PairedDataset() {
      @Override
      public int size() {
        return count;
      }

      @Override
      public Sample get(int index, Random random) {
        Random r = new Random(seed * 1_000_003L + index);
        BufferedImage im = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setColor(new Color(40, 40, 60));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        int d = 24 + r.nextInt(24);
        g.fillOval(r.nextInt(64 - d), r.nextInt(64 - d), d, d);
        g.dispose();
        return t.apply(im, im, true, random);
      }

      @Override
      public int sourceChannels() {
        return 3;
      }
    };
  }

  /** {@code l2_lambda · mse(y_hat, y)}, the official L2 term alone. */
  static Criterion l2() {
    return (ops, x, y, yHat, latent, avg) -> {
      NDArray d = ops.sub(yHat, y);
      NDArray loss = ops.mean(ops.mul(d, d), new int[] {0, 1, 2, 3}, false);
      double v = loss.getFloat();
      return new Criterion.Result(loss, Map.of("loss_l2", v, "loss", v));
    };
  }

  static PspTrainer.OptimizerFactory adam() {
    return (name, params, lr) -> new Adam(params, lr);
  }

  static int pixels() {
    return dev.psp.Encoder.INPUT_SIZE * dev.psp.Encoder.INPUT_SIZE;
  }

  /**
   * Checks an extra loss term {@code key} of two runs on the same data: in {@code graded}, at weight
   * {@code lambda}, {@code loss} is {@code loss_l2} plus the weighted term; in {@code logged}, at
   * weight 0, the term is logged but {@code loss} is {@code loss_l2} alone; both start from the same
   * value. Returns the term's means over steps {@code from} to the end, graded then logged.
   */
  static double[] weightedTerm(List<Map<String, Double>> graded, List<Map<String, Double>> logged, String key,
      double lambda, int from) {
    for (Map<String, Double> v : graded) {
      org.assertj.core.api.Assertions.assertThat(v.get("loss")).isCloseTo(v.get("loss_l2") + lambda * v.get(key),
          org.assertj.core.data.Offset.offset(1e-5 * v.get("loss")));
    }
    for (Map<String, Double> v : logged) {
      org.assertj.core.api.Assertions.assertThat(v.get("loss")).isEqualTo(v.get("loss_l2"));
    }
    org.assertj.core.api.Assertions.assertThat(logged.get(0).get(key)).isEqualTo(graded.get(0).get(key));
    return new double[] {mean(graded.subList(from, graded.size()), key), mean(logged.subList(from, logged.size()), key)};
  }

  private static double mean(List<Map<String, Double>> h, String key) {
    return h.stream().mapToDouble(v -> v.get(key)).average().orElseThrow();
  }

  /** Each pixel of {@code planes} maps {@code [s,s]} repeated k×k times: area-averaging it back gives the maps exactly. */
  static float[] repeat(float[] v, int planes, int s, int k) {
    int t = s * k;
    float[] out = new float[planes * t * t];
    for (int p = 0; p < planes; p++) {
      for (int y = 0; y < t; y++) {
        for (int x = 0; x < t; x++) {
          out[(p * t + y) * t + x] = v[(p * s + y / k) * s + x / k];
        }
      }
    }
    return out;
  }

  /**
   * The criterion's loss values at outputs {@code base} {@code [2,3,256,256]}, after checking the slope of
   * its total along {@code direction} (the gradient's, against central differences within 2 %).
   */
  static Map<String, Double> checkedCriterionSlope(Criterion criterion, ai.djl.ndarray.NDManager m, NDArray x,
      NDArray y, float[] base, float[] direction) {
    ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(2, 3, 256, 256);
    NDArray latent = m.zeros(new ai.djl.ndarray.types.Shape(2, 4, 32));
    double analytic;
    Map<String, Double> values;
    try (ai.djl.ndarray.NDManager call = m.newSubManager();
        ai.djl.training.GradientCollector gc = dev.psp.djl.PyTorchEngine.djl().newGradientCollector()) {
      NDArray yHat = call.create(base, shape);
      yHat.setRequiresGradient(true);
      Criterion.Result r = criterion.compute(new dev.psp.djl.DjlTensorOps(call, Map.of()), x, y, yHat, latent, null);
      values = r.values();
      gc.backward(r.total());
      analytic = dev.psp.training.testing.Directional.slope(yHat.getGradient().toFloatArray(), direction);
    }
    double numeric = dev.psp.training.testing.Directional.centralDifference(base, direction, 1e-2, v -> {
      try (ai.djl.ndarray.NDManager call = m.newSubManager()) {
        NDArray yHat = call.create(v, shape);
        return criterion.compute(new dev.psp.djl.DjlTensorOps(call, Map.of()), x, y, yHat, latent, null).total()
            .getFloat();
      }
    });
    org.assertj.core.api.Assertions.assertThat(Math.abs(analytic)).isGreaterThan(1e-3);
    org.assertj.core.api.Assertions.assertThat(Math.abs(analytic - numeric)).isLessThanOrEqualTo(0.02 * Math.abs(numeric));
    return values;
  }
}
