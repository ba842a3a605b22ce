package dev.psp.cli;

import dev.psp.Direction;
import dev.psp.LatentCode;
import dev.psp.OutputSize;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.edit.GanSpace;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp edit}: a strip of edits of one input along a direction (InterFaceGAN-style, {@code code +
 * strength · direction}) or a GANSpace component, at evenly spaced strengths.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
    description = "Edit one input (image or codes .npy) along a direction or a GANSpace component; write a strip.")
final class EditCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin NoiseOptions noise;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image|codes.npy>", description = "The input (first sample of an .npy).")
  Path input;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--direction", paramLabel = "<file.pt|.npy>",
        description = "A direction [512] or [n_styles,512] (official InterFaceGAN .pt files, or psp learn-direction output).")
    Path direction;

    @Option(names = "--ganspace", paramLabel = "<pca.pt>", description = "A GANSpace PCA file (mean, comp, std), with --component.")
    Path ganspace;
  }

  @Option(names = "--component", defaultValue = "0", description = "GANSpace component (default: ${DEFAULT-VALUE}).")
  int component;

  @Option(names = "--strength", defaultValue = "-3..3", paramLabel = "<a..b|x>",
      description = "Strengths: a range a..b spread over --steps, or one value (default: ${DEFAULT-VALUE}). For GANSpace, the target coordinate.")
  String strength;

  @Option(names = "--steps", defaultValue = "7", description = "Edits in the strip, 1..64 (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--rows", paramLabel = "<rows>", defaultValue = "all",
      description = "W+ rows to edit: all, coarse, medium, fine, or ranges like 0-5 (default: ${DEFAULT-VALUE}).")
  String rows;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<strip.png|folder>",
      description = "An image: the edits side by side; a folder: edit_000.png ...")
  Path output;

  @Option(names = "--latent-out", paramLabel = "<codes.npy>", description = "Also write the edited codes [steps,n_styles,512].")
  Path latentOut;

  @Option(names = "--resize", description = "Pool outputs to 256x256.")
  boolean resize;

  @Override
  public Integer call() throws Exception {
    model.validate();
    if (steps < 1 || steps > 64) {
      throw new PspCli.UsageException("--steps must be between 1 and 64, got " + steps);
    }
    if (Io.isNpy(output)) {
      throw new PspCli.UsageException("--output is the strip (an image name) or a folder of frames, got " + output
          + "; the edited codes go to --latent-out");
    }
    double[] strengths = strengths(strength, steps);
    try (PspModel m = model.load()) {
      LatentCode code = Io.isNpy(input) ? LatentCode.load(input).sample(0) : m.encoder().encode(Io.readImage(input));
      int[] edited = rows.equals("all") ? java.util.stream.IntStream.range(0, code.nStyles()).toArray()
          : parseRows(rows, code.nStyles());
      List<LatentCode> codes = new ArrayList<>();
      if (what.direction != null) {
        Direction d = Direction.read(what.direction);
        for (double s : strengths) {
          codes.add(code.edit(d, s, edited));
        }
      } else {
        GanSpace pca = GanSpace.read(what.ganspace);
        if (component < 0 || component >= pca.components()) {
          throw new PspCli.UsageException("--component must be in [0, " + pca.components() + "), got " + component);
        }
        if (edited[edited.length - 1] - edited[0] + 1 != edited.length) {
          throw new PspCli.UsageException("GANSpace edits a contiguous range of rows, got " + rows);
        }
        for (double s : strengths) {
          codes.add(pca.edit(code, component, edited[0], edited[edited.length - 1] + 1, s));
        }
      }
      // with random noise every frame draws stream 0: the same noise, so frames differ by the edit alone
      List<BufferedImage> images = m.generator().synthesizeImages(LatentCode.concat(codes),
          noise.noise().withStreams(new long[codes.size()]), OutputSize.of(resize));
      if (Io.isImageName(output)) {
        Io.writeImage(Strips.horizontal(images), output);
      } else {
        java.nio.file.Files.createDirectories(output);
        for (int i = 0; i < images.size(); i++) {
          Io.writeImage(images.get(i), output.resolve(String.format(Locale.ROOT, "edit_%03d.png", i)));
        }
      }
      if (latentOut != null) {
        Io.createParent(latentOut);
        LatentCode.concat(codes).save(latentOut);
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "edited %d strengths %s -> %s%n", strengths.length,
          java.util.Arrays.toString(strengths), output);
    }
    return 0;
  }

  private static int[] parseRows(String spec, int nStyles) {
    try {
      return StyleMixer.parse(spec, 1.0).rows(nStyles);
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException("--rows: " + e.getMessage());
    }
  }

  /** {@code a..b} spread over n values (both ends included), or one value repeated. */
  static double[] strengths(String spec, int n) {
    try {
      int dots = spec.indexOf("..");
      double a = Double.parseDouble(dots < 0 ? spec : spec.substring(0, dots));
      double b = dots < 0 ? a : Double.parseDouble(spec.substring(dots + 2));
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        throw new NumberFormatException("not finite");
      }
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
      }
      return out;
    } catch (NumberFormatException e) {
      throw new PspCli.UsageException("--strength must be a number or a range like -3..3, got '" + spec + "'");
    }
  }
}
