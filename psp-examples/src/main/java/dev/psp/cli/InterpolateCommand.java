package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.PspModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp interpolate}: frames along the straight line between the W+ codes of two inputs. */
@Command(name = "interpolate", mixinStandardHelpOptions = true,
    description = "Interpolate in W+ between two inputs (images or codes .npy) and write the frames.")
final class InterpolateCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin NoiseOptions noise;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "<image|codes.npy>", description = "Start.")
  Path from;

  @Option(names = "--to", required = true, paramLabel = "<image|codes.npy>", description = "End.")
  Path to;

  @Option(names = "--steps", defaultValue = "8", description = "Frames including both ends, >= 2 (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<folder>", description = "Folder for frame_000.png ...")
  Path output;

  @Option(names = "--resize", description = "Pool frames to 256x256.")
  boolean resize;

  @Override
  public Integer call() throws Exception {
    model.validate();
    if (steps < 2) {
      throw new PspCli.UsageException("--steps must be >= 2, got " + steps);
    }
    try (PspModel m = model.load()) {
      LatentCode a = code(m, from);
      LatentCode b = code(m, to);
      Files.createDirectories(output);
      Progress progress = new Progress(spec.commandLine().getErr(), "frames", steps);
      for (int i = 0; i < steps; i++) {
        LatentCode c = a.interpolate(b, i / (double) (steps - 1));
        Io.writeImage(m.generator().synthesizeImages(c, noise.noise(), OutputSize.of(resize)).get(0),
            output.resolve(String.format(Locale.ROOT, "frame_%03d.png", i)));
        progress.advance(1);
      }
      spec.commandLine().getOut().println("interpolated " + progress.finish() + " -> " + output);
    }
    return 0;
  }

  private static LatentCode code(PspModel m, Path p) throws IOException {
    if (Io.isNpy(p)) {
      LatentCode c = LatentCode.load(p);
      return c.sample(0);
    }
    return m.encoder().encode(Io.readImage(p));
  }
}
