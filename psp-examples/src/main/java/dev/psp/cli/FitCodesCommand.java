package dev.psp.cli;

import dev.psp.LatentCode;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.synthetic.SyntheticFaces;
import dev.psp.training.latent.LatentOptimizer;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp fit-codes}: the W+ codes of synthetic training faces, each the inversion model's code
 * after Adam steps towards the face ({@link LatentOptimizer}), written as a {@code .npy} file {@code
 * [faces, n_styles, dim]} (row f: face f of {@code --seed}) with a {@code .json} record of how, for
 * {@code psp train -s sdk_code_targets=<file>}.
 */
@Command(name = "fit-codes", mixinStandardHelpOptions = true,
    description = "Fit W+ codes to synthetic training faces (encode, then optimize), for psp train's sdk_code_targets.")
final class FitCodesCommand implements Callable<Integer> {
  /** The size faces are rendered at, as in training ({@code SyntheticPairs}). */
  private static final int RENDER_SIZE = 256;

  /** The record next to the codes: {@code <file>.json}. */
  static Path record(Path codes) {
    return codes.resolveSibling(codes.getFileName() + ".json");
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<codes.npy>", description = "Codes to write.")
  Path output;

  @Option(names = "--faces", required = true, description = "Faces to fit: faces 0 to n-1 of --seed.")
  int faces;

  @Option(names = "--seed", defaultValue = "0",
      description = "Seed of the faces: psp train's sdk_seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--steps", defaultValue = "100", description = "Adam steps per face (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--lr", defaultValue = "0.1", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--batch", defaultValue = "16", description = "Faces per optimization (default: ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    if (faces < 1 || batch < 1) {
      throw new PspCli.UsageException("--faces and --batch must be >= 1, got " + faces + " and " + batch);
    }
    TranslateCommand.checkOptimizeSteps(steps);
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new PspCli.UsageException("--lr must be positive and finite, got " + lr);
    }
    if (model.engine == null) {
      model.engine = "pytorch"; // the optimization runs on it; encoding there too keeps one engine's numbers
    }
    PrintWriter out = spec.commandLine().getOut();
    try (PspModel m = model.load()) {
      if (m.config().task() != TranslationTask.INVERSION || m.config().iterative()) {
        throw new PspCli.UsageException(m.source() + " is a " + m.config().task() + (m.config().iterative()
            ? " ReStyle" : "") + " model; fit-codes encodes faces with a one-pass inversion model");
      }
      Progress progress = new Progress(spec.commandLine().getErr(), "optimization steps",
          ((faces + batch - 1) / batch) * steps);
      List<LatentCode> codes = new ArrayList<>();
      double before = 0;
      double after = 0;
      try (LatentOptimizer o = LatentOptimizer.of(m)) {
        for (int from = 0; from < faces; from += batch) {
          List<BufferedImage> images = new ArrayList<>();
          for (int f = from; f < Math.min(faces, from + batch); f++) {
            images.add(SyntheticFaces.pair(TranslationTask.INVERSION, seed, f, RENDER_SIZE).target());
          }
          TensorData x = m.encoder().preprocess(images);
          LatentOptimizer.Result r = o.optimize(m.encoder().encode(x), x, steps, lr, (d, t, l2) -> progress.advance(1));
          double[] losses = r.losses();
          before += losses[0] * images.size();
          after += losses[steps] * images.size();
          codes.add(r.codes());
        }
      }
      Io.createParent(output);
      LatentCode.concat(codes).save(output);
      Files.writeString(record(output), String.format(Locale.ROOT,
          "{\"seed\": %d, \"faces\": %d, \"model\": %s, \"steps\": %d, \"lr\": %s, \"batch\": %d,"
              + " \"l2_before\": %.6f, \"l2_after\": %.6f}%n", seed, faces, AlignCommand.quote(m.source().toString()), steps,
          lr, batch, before / faces, after / faces));
      out.printf(Locale.ROOT, "fitted %d faces of seed %d, %d steps each: L2 %.4f -> %.4f, %s; wrote %s%n", faces,
          seed, steps, before / faces, after / faces, progress.finish(), output);
    }
    return 0;
  }
}
