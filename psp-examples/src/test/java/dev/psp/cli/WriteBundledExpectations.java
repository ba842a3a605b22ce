package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.BundledModels;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the stored outputs {@link BundledModelsTest} compares with: the PyTorch engine's outputs of
 * every bundled model on the held-out inputs. Run after retraining the bundled models:
 * scripts/bundle_demo_models.sh (the last step of scripts/train_demo_models.sh) runs this class with
 * the test class path.
 */
public final class WriteBundledExpectations {
  private WriteBundledExpectations() {}

  /** Writes into {@code args[0]} (default psp-examples/src/test/resources/bundled-expected). */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "psp-examples/src/test/resources/bundled-expected");
    Files.createDirectories(dir);
    Path empty = Files.createTempDirectory("no-official-models");
    for (TranslationTask task : TranslationTask.values()) {
      if (!BundledModels.has(task)) {
        continue;
      }
      try (PspModel m = Psp.load(task.names().get(0),
          LoadOptions.defaults().optEngine("pytorch").optModelDir(empty))) {
        Path f = dir.resolve(Path.of(BundledModelsTest.resource(task)).getFileName());
        Npy.write(f, m.forward(BundledModelsTest.input(m, task), Noise.fixed(), OutputSize.FULL));
        System.out.println("wrote " + f);
      }
    }
  }
}
