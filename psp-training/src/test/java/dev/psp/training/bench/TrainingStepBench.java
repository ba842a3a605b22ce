package dev.psp.training.bench;

import dev.psp.djl.PyTorchEngine;
import dev.psp.testing.TinyModels;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import dev.psp.training.Criteria;
import dev.psp.training.PspTrainer;
import dev.psp.training.TrainOptions;
import dev.psp.training.TrainingListener;
import dev.psp.training.data.SyntheticPairs;
import dev.psp.training.data.TaskTransforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time per pSp training step (not a test): the official architecture at 256 px output, batch 2,
 * Ranger, L2 + w-norm (LPIPS, ID and MoCo need weight files the SDK cannot download), decoder frozen,
 * random weights. Prints each step's wall time. Usage: {@code TrainingStepBench [steps]}.
 */
public final class TrainingStepBench {
  private TrainingStepBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    Path dir = Files.createTempDirectory("psp-step-bench");
    Path gan = TinyModels.writeStyleGan(dir.resolve("stylegan_256.pt"), 256, Architecture.OFFICIAL, 1,
        TensorData.ofFloats(new float[512], 512));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("exp_dir", dir.resolve("exp").toString());
    o.put("output_size", 256L);
    o.put("batch_size", 2L);
    o.put("test_batch_size", 2L);
    o.put("start_from_latent_avg", true);
    o.put("lpips_lambda", 0.0);
    o.put("w_norm_lambda", 0.005);
    o.put("stylegan_weights", gan.toString());
    o.put("max_steps", (long) steps);
    o.put("val_interval", 100000L);
    o.put("image_interval", 100000L);
    o.put("board_interval", 1L);
    o.put("save_interval", 100000L);
    TrainOptions opts = TrainOptions.of(o);
    TaskTransforms t = new TaskTransforms(TranslationTask.INVERSION, 0, new int[] {1});
    try (var m = PyTorchEngine.djl().newBaseManager();
        var criterion = Criteria.fromOptions(opts, m);
        PspTrainer trainer = PspTrainer.create(opts, criterion, new SyntheticPairs(t, 0, 8, true),
            new SyntheticPairs(t, 9, 2, false))) {
      double[] ema = {0};
      trainer.trainUntil(steps - 1, new TrainingListener() {
        @Override
        public void onStep(long step, long lastStep, Map<String, Double> losses, double sps) {
          // the listener gets an exponential average (0.9 old + 0.1 new) of the step times alone
          // (checkpoints and validation excluded); invert it to print each step's own time
          double own = step == 0 ? sps : (sps - 0.9 * ema[0]) / 0.1;
          ema[0] = sps;
          System.out.printf("step %d: %.2f s (loss %.4f)%n", step, own, losses.get("loss"));
        }
      });
    }
  }
}
