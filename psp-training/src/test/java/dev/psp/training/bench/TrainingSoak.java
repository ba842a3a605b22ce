package dev.psp.training.bench;

import dev.psp.djl.PyTorchEngine;
import dev.psp.training.PspTrainer;
import dev.psp.training.TrainOptions;
import dev.psp.training.TrainingListener;
import dev.psp.training.data.SyntheticPairs;
import dev.psp.training.data.TaskTransforms;
import dev.psp.TranslationTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Native-memory soak of pSp training (not a test): trains a tiny model on synthetic pairs for N
 * steps and prints the process RSS at steps 10, 100, 1000 (and every 100). Usage: {@code
 * TrainingSoak <stylegan.pt> [steps]} with a 16 px generator of width/16 and n_mlp 2 (e.g. from
 * {@code psp train-stylegan --size 16 --width-divisor 16 --n-mlp 2 --steps 1}).
 */
public final class TrainingSoak {
  private TrainingSoak() {}

  /** Runs the soak. */
  public static void main(String[] args) throws Exception {
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path exp = Files.createTempDirectory("psp-soak");
    Map<String, Object> o = new java.util.LinkedHashMap<>();
    o.put("exp_dir", exp.toString());
    o.put("output_size", 16L);
    o.put("batch_size", 2L);
    o.put("test_batch_size", 2L);
    o.put("optim_name", "ranger");
    o.put("start_from_latent_avg", true);
    o.put("lpips_lambda", 0.0);
    o.put("w_norm_lambda", 0.005);
    o.put("stylegan_weights", args[0]);
    o.put("max_steps", (long) steps);
    o.put("image_interval", 250L);
    o.put("board_interval", 50L);
    o.put("val_interval", 500L);
    o.put("save_interval", 500L);
    o.put("sdk_width_divisor", 16L);
    o.put("sdk_body_units", List.of(1L, 1L, 1L, 1L));
    o.put("sdk_n_mlp", 2L);
    TrainOptions opts = TrainOptions.of(o);
    TaskTransforms t = new TaskTransforms(TranslationTask.INVERSION, 0, new int[] {1});
    long t0 = System.nanoTime();
    try (var m = PyTorchEngine.djl().newBaseManager();
        var criterion = dev.psp.training.Criteria.fromOptions(opts, m);
        PspTrainer trainer = PspTrainer.create(opts, criterion, new SyntheticPairs(t, 0, 64, true),
            new SyntheticPairs(t, 99, 4, false))) {
      trainer.train(new TrainingListener() {
        @Override
        public void onStep(long step, long last, Map<String, Double> losses, double sps) {
          long s = step + 1;
          if (s == 10 || s % 100 == 0) {
            System.out.printf("step %5d  RSS %6.1f MB  loss %.4f  %.3f s/step%n", s, rssMb(), losses.get("loss"),
                (System.nanoTime() - t0) / 1e9 / s);
          }
        }
      });
    }
  }

  static double rssMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
