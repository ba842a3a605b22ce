package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.PspModel;
import dev.psp.RefinementStep;
import dev.psp.image.AdaptivePool;
import dev.psp.io.TensorData;
import dev.psp.training.latent.LatentOptimizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp translate}: the official inference, {@code pSp(x)}, on images, a folder or an {@code .npy} batch. */
@Command(name = "translate", mixinStandardHelpOptions = true,
    description = "Translate inputs with a pSp model (encode, then decode).")
final class TranslateCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin NoiseOptions noise;
  @Mixin AlignOptions align;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder of images, or a preprocessed float32 .npy [B,C,256,256].")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder, or an .npy of the raw outputs [B,3,S,S].")
  Path output;

  @Option(names = "--resize", description = "Pool outputs to 256x256 (the official face_pool).")
  boolean resize;

  @Option(names = "--batch-size", defaultValue = "4", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--latent-out", paramLabel = "<codes.npy>", description = "Also write the W+ codes [B,n_styles,512].")
  Path latentOut;

  @Option(names = "--iterations", paramLabel = "<n>",
      description = "ReStyle models: refinement steps, 1.." + PspModel.MAX_ITERATIONS + " (default: the model's n_iters_per_batch, usually 5).")
  Integer iterations;

  @Option(names = "--save-steps", description = "ReStyle models: also write every earlier step's output, named with _step<k>.")
  boolean saveSteps;

  @Option(names = "--skip-existing", description = "Folder outputs: skip inputs whose output PNG is already there"
      + " (resumes an interrupted run; every output is written whole, so the ones present are complete).")
  boolean skipExisting;

  @Option(names = "--optimize", defaultValue = "0", paramLabel = "<steps>",
      description = "Inversion models: after encoding, take <steps> Adam steps on each code towards its input"
          + " (L2 through the frozen decoder with the stored noise, on the pytorch engine; 0: off, the default)."
          + " Sharper, closer reconstructions, one forward and backward pass per step.")
  int optimizeSteps;

  @Option(names = "--optimize-lr", defaultValue = "" + LatentOptimizer.DEFAULT_LEARNING_RATE, paramLabel = "<lr>",
      description = "Adam's learning rate for --optimize (default: ${DEFAULT-VALUE}).")
  double optimizeLr;

  private final List<Outputs> stepSinks = new ArrayList<>();

  private Outputs stepOutputs(Outputs sink, int step, int count) {
    while (stepSinks.size() <= step) {
      stepSinks.add(sink.forStep(stepSinks.size(), count));
    }
    return stepSinks.get(step);
  }

  @Override
  public Integer call() throws Exception {
    model.validate();
    Io.checkNotInput(input, output);
    align.validate();
    Inputs.checkBatchSize(batchSize);
    if (iterations != null && (iterations < 1 || iterations > PspModel.MAX_ITERATIONS)) {
      throw new PspCli.UsageException("--iterations must be between 1 and " + PspModel.MAX_ITERATIONS + ", got " + iterations);
    }
    checkOptimize();
    PrintWriter out = spec.commandLine().getOut();
    AlignedPhotos photos = align.align ? Inputs.alignedPhotos(input, align, model.modelDir, spec.commandLine().getErr()) : null;
    Inputs in = photos != null ? Inputs.aligned(photos) : Inputs.open(input);
    PastedOutputs pasted = align.pasteBack ? new PastedOutputs(output, photos, 1) : null;
    Outputs sink = pasted == null ? new Outputs(output, in.size()) : null;
    if (skipExisting) {
      if (sink == null || !sink.isFolder() || latentOut != null) {
        throw new PspCli.UsageException("--skip-existing needs a folder --output and no --paste-back or --latent-out");
      }
      int all = in.size();
      in = in.without(sink::exists);
      spec.commandLine().getErr().printf("skipping %d of %d inputs whose outputs exist%n", all - in.size(), all);
    }
    try (PspModel m = model.load(); LatentOptimizer optimizer = optimizer(m)) {
      boolean iterative = m.config().iterative();
      if (!iterative && ((iterations != null && iterations != 1) || saveSteps)) {
        throw new PspCli.UsageException("--iterations and --save-steps need a ReStyle model; " + m.source() + " is a "
            + m.config().family().displayName() + " model, which encodes in one pass");
      }
      int steps = iterations != null ? iterations : m.config().defaultIterations();
      if (saveSteps && pasted != null) {
        throw new PspCli.UsageException("--save-steps does not combine with --paste-back");
      }
      int batches = (in.size() + batchSize - 1) / batchSize;
      Progress progress = optimizer == null ? new Progress(spec.commandLine().getErr(), "images", in.size())
          : new Progress(spec.commandLine().getErr(), "optimization steps", batches * optimizeSteps);
      List<LatentCode> codes = new ArrayList<>();
      for (Inputs.Batch b : in.batches(m, batchSize)) {
        Noise n = noise.noise().withStreams(b.numbers()); // input i: stream i, whatever the batch
        OutputSize size = OutputSize.of(resize);
        LatentCode c;
        TensorData images = null;
        if (iterative) {
          List<RefinementStep> run = m.refine(b.tensor(), steps);
          RefinementStep last = run.get(run.size() - 1);
          c = last.code();
          if (n.isFixed() && size == OutputSize.FULL) {
            images = last.image();
          }
          for (int s = 0; saveSteps && s < run.size() - 1; s++) {
            TensorData img = resize ? AdaptivePool.pool(run.get(s).image(), dev.psp.Encoder.INPUT_SIZE) : run.get(s).image();
            stepOutputs(sink, s, in.size()).write(img, b.names());
          }
        } else {
          try {
            c = m.encoder().encode(b.tensor());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(input + ": " + e.getMessage(), e); // the model names no file
          }
        }
        if (optimizer != null) {
          c = optimizer.optimize(c, b.tensor(), optimizeSteps, optimizeLr, (done, total, l2) -> progress.advance(1))
              .codes();
          images = null;
        }
        if (images == null) {
          images = m.generator().synthesize(c, n, size);
        }
        if (pasted != null) {
          pasted.write(images, b.from(), "");
        } else {
          sink.write(images, b.names());
        }
        if (latentOut != null) {
          codes.add(c);
        }
        if (optimizer == null) {
          progress.advance(b.names().size());
        }
      }
      if (pasted != null) {
        pasted.close();
      } else {
        sink.close();
        for (Outputs o : stepSinks) {
          o.close();
        }
      }
      if (latentOut != null) {
        Io.createParent(latentOut);
        LatentCode.concat(codes).save(latentOut);
      }
      out.println("translated " + (optimizer == null ? "" : in.size() + " images, " + optimizeSteps + " "
          + "optimization steps each: ") + progress.finish() + " -> " + output);
    }
    return photos == null ? 0 : photos.exitCode();
  }

  /** Refuses an {@code --optimize} step count outside [0, {@link LatentOptimizer#MAX_STEPS}] (translate and demo). */
  static void checkOptimizeSteps(int steps) {
    if (steps < 0 || steps > LatentOptimizer.MAX_STEPS) {
      throw new PspCli.UsageException("--optimize must be between 0 and " + LatentOptimizer.MAX_STEPS + " steps, got "
          + steps);
    }
  }

  private void checkOptimize() {
    checkOptimizeSteps(optimizeSteps);
    if (!(optimizeLr > 0) || Double.isInfinite(optimizeLr)) {
      throw new PspCli.UsageException("--optimize-lr must be positive and finite, got " + optimizeLr);
    }
    if (optimizeSteps > 0 && !noise.noise().isFixed()) {
      throw new PspCli.UsageException("--optimize fits each code with the decoder's stored noise: drop --noise random");
    }
  }

  /** The optimizer of {@code --optimize} over the model's decoder, or null without it. */
  private LatentOptimizer optimizer(PspModel m) throws dev.psp.PspException {
    if (optimizeSteps == 0) {
      return null;
    }
    if (m.task() != dev.psp.TranslationTask.INVERSION) {
      throw new PspCli.UsageException("--optimize fits codes to their inputs, so it needs an inversion model; "
          + m.source() + " is a " + m.task() + " model, whose inputs are not the faces it should output");
    }
    return LatentOptimizer.of(m);
  }
}
