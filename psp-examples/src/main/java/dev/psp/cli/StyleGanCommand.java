package dev.psp.cli;

import dev.psp.training.ProgressBar;
import dev.psp.training.TrainingListener;
import dev.psp.training.data.Oversampling;
import dev.psp.training.data.SyntheticImages;
import dev.psp.training.gan.StyleGan2Checkpoint;
import dev.psp.training.gan.StyleGan2Config;
import dev.psp.training.gan.StyleGan2Options;
import dev.psp.training.gan.StyleGan2Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp train-stylegan}: trains a StyleGAN2 (rosinality's recipe: non-saturating loss, lazy R1,
 * mixing regularisation, EMA generator) on the synthetic face domain and writes a rosinality-format
 * checkpoint ({@code g}, {@code d}, {@code g_ema}, optimizers, {@code latent_avg}, {@code args}) that
 * {@code psp train --set stylegan_weights=<file>} starts pSp training from. Continues from the output
 * file when it exists (exact resume): {@code --steps} more steps, or up to {@code --until-step}, which
 * makes a rerun after an interruption finish the same run and a rerun after completion train nothing.
 * A resumed run keeps the checkpoint's network, options and faces ({@code args}); options on the
 * command line that disagree with them are a usage error, except {@code --oversample}, which a
 * resumed run may change (fine-tuning on another balance of the faces; recorded from then on).
 */
@Command(name = "train-stylegan", mixinStandardHelpOptions = true,
    description = "Train a StyleGAN2 on the synthetic face domain (continues from --output if it exists, with its settings).")
final class StyleGanCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<file.pt>", description = "Checkpoint to write.")
  Path output;

  @Option(names = "--size", defaultValue = "64", description = "Resolution (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--width-divisor", defaultValue = "8", description = "Official widths divided by this (default: ${DEFAULT-VALUE}).")
  int widthDivisor;

  @Option(names = "--n-mlp", defaultValue = "4", description = "Mapping layers (default: ${DEFAULT-VALUE}; official 8).")
  int nMlp;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Length length;

  /** How long to train: a number of steps, or up to a total step count. */
  static final class Length {
    @Option(names = "--steps", description = "Steps to train in this run.")
    Integer steps;

    @Option(names = "--until-step", paramLabel = "<n>",
        description = "Train until the checkpoint has n steps (0..n-1); nothing if it has them already.")
    Long untilStep;
  }

  @Option(names = "--lr", defaultValue = "0.002", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--faces", defaultValue = "50000", description = "Synthetic faces to sample from (default: ${DEFAULT-VALUE}).")
  int faces;

  @Option(names = "--oversample", paramLabel = "<attr=k,...>",
      description = "Draw faces with an attribute k times as often: glasses=3 makes half the draws faces with glasses (a quarter of the faces). Attributes: glasses, long-hair, smile. May change on resume.")
  String oversample;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the faces and of training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--save-every", defaultValue = "500", description = "Checkpoint interval in steps (default: ${DEFAULT-VALUE}).")
  int saveEvery;

  @Override
  public Integer call() throws Exception {
    if (saveEvery < 1) {
      throw new PspCli.UsageException("--save-every must be >= 1, got " + saveEvery);
    }
    if (length.steps != null && length.steps < 1 || length.untilStep != null && length.untilStep < 1) {
      throw new PspCli.UsageException("--steps and --until-step must be >= 1, got "
          + (length.steps != null ? length.steps : length.untilStep));
    }
    PrintWriter out = spec.commandLine().getOut();
    Oversampling given;
    try {
      given = oversample == null ? null : Oversampling.parse(oversample);
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException("--oversample: " + e.getMessage());
    }
    StyleGan2Checkpoint saved = Files.isRegularFile(output) ? StyleGan2Checkpoint.read(output) : null;
    if (saved != null) {
      checkAgrees(saved);
      if (given != null && !given.equals(saved.options().oversampling())) {
        out.printf("oversampling changes from '%s' to '%s' at step %d%n", saved.options().oversampling(),
            given, saved.step());
        saved = saved.withOptions(saved.options().withOversampling(given));
      }
    }
    StyleGan2Config config = saved != null ? saved.config() : newConfig();
    StyleGan2Options options = saved != null ? saved.options()
        : StyleGan2Options.defaults(batch, seed).withLr(lr).withFaces(faces)
            .withOversampling(given != null ? given : Oversampling.NONE);
    SyntheticImages data = new SyntheticImages(options.seed(), options.faces(), config.size(),
        options.oversampling());
    try (StyleGan2Trainer t = saved != null ? StyleGan2Trainer.resume(saved)
        : StyleGan2Trainer.create(config, options)) {
      out.println((t.steps() > 0 ? "continuing " : "training ") + t + " from step " + t.steps());
      out.flush();
      long start = t.steps();
      long t0 = System.nanoTime();
      long last = length.steps != null ? start + length.steps - 1 : length.untilStep - 1;
      if (last < start) {
        out.printf(Locale.ROOT, "%s has %d steps, --until-step %d: nothing to train%n", output, start, length.untilStep);
        return 0;
      }
      ProgressBar bar = new ProgressBar(System.err);
      TrainingListener toLast = (step, end, losses, secondsPerStep) -> bar.onStep(step, last, losses, secondsPerStep);
      while (t.steps() <= last) {
        t.train(data, Math.min(last, t.steps() + saveEvery - 1), toLast); // a checkpoint every saveEvery steps
        t.save(output);
      }
      out.printf(Locale.ROOT, "trained steps %d..%d in %.1f min; wrote %s%n", start, t.steps() - 1,
          (System.nanoTime() - t0) / 6e10, output);
    }
    return 0;
  }

  /** The architecture the options ask for; a size, width divisor or mapping depth it cannot have is a usage error. */
  private StyleGan2Config newConfig() {
    try {
      return new StyleGan2Config(size, widthDivisor, nMlp);
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException(e.getMessage());
    }
  }

  /**
   * A resumed run trains on with the checkpoint's network, options and faces: options given on this
   * command line that disagree with them are an error, not silently ignored.
   */
  private void checkAgrees(StyleGan2Checkpoint saved) {
    StyleGan2Config c = saved.config();
    StyleGan2Options o = saved.options();
    List<String> differ = new ArrayList<>();
    differs(differ, "--size", size, c.size());
    differs(differ, "--width-divisor", widthDivisor, c.widthDivisor());
    differs(differ, "--n-mlp", nMlp, c.nMlp());
    differs(differ, "--batch", batch, o.batch());
    differs(differ, "--lr", lr, o.lr());
    differs(differ, "--faces", faces, o.faces());
    differs(differ, "--seed", seed, o.seed());
    if (!differ.isEmpty()) {
      throw new PspCli.UsageException(output + " holds a StyleGAN2 at step " + saved.step()
          + " trained with other settings: " + String.join(", ", differ) + ". A resumed run keeps the"
          + " checkpoint's settings: drop these options, or give a new --output to start another run");
    }
  }

  private void differs(List<String> differ, String option, Number given, Number saved) {
    boolean matched = spec.commandLine().getParseResult().hasMatchedOption(option);
    if (matched && given.doubleValue() != saved.doubleValue()) {
      differ.add(option + " " + given + " (the checkpoint has " + saved + ")");
    }
  }
}
