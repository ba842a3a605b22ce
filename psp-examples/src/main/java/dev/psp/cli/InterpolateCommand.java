package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.PspModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import dev.psp.align.RgbImage;
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
  @Mixin AlignOptions align;
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
    if (Io.isImageName(output) || Io.isNpy(output)) {
      throw new PspCli.UsageException("--output is the folder for frame_000.png ..., got the file name " + output
          + "; give a folder");
    }
    align.validate();
    AlignedPhotos.Entry fromFace = null;
    AlignedPhotos.Entry toFace = null;
    if (align.align) {
      if (align.choice().equals(dev.psp.align.FaceChoice.all())) {
        throw new PspCli.UsageException("--face all gives several faces; interpolate needs one face per end: choose last, largest or an index");
      }
      fromFace = alignedFace(from);
      toFace = alignedFace(to);
    }
    PastedOutputs pasted = null;
    if (align.pasteBack) {
      AlignedPhotos start = AlignedPhotos.of(List.of(fromFace));
      pasted = new PastedOutputs(output, start, steps);
    }
    try (PspModel m = model.load()) {
      LatentCode a = fromFace != null ? m.encoder().encode(fromFace.face().image().toBufferedImage()) : code(m, from);
      LatentCode b = toFace != null ? m.encoder().encode(toFace.face().image().toBufferedImage()) : code(m, to);
      Files.createDirectories(output);
      Progress progress = new Progress(spec.commandLine().getErr(), "frames", steps);
      for (int i = 0; i < steps; i++) {
        LatentCode c = a.interpolate(b, i / (double) (steps - 1));
        java.awt.image.BufferedImage frame = m.generator().synthesizeImages(c, noise.noise(), OutputSize.of(resize)).get(0);
        if (pasted != null) {
          // every frame goes into the --from photo, named like the frames without --paste-back
          pasted.pasteAs(fromFace, RgbImage.of(frame), output.resolve(String.format(Locale.ROOT, "frame_%03d.png", i)));
        } else {
          Io.writeImage(frame, output.resolve(String.format(Locale.ROOT, "frame_%03d.png", i)));
        }
        progress.advance(1);
      }
      spec.commandLine().getOut().println("interpolated " + progress.finish() + " -> " + output);
    }
    return 0;
  }

  /** The one aligned face of an image end (an .npy end is a usage error with --align). */
  private AlignedPhotos.Entry alignedFace(Path p) throws IOException {
    if (Io.isNpy(p)) {
      throw new PspCli.UsageException("--align takes photos, not codes: " + p);
    }
    AlignedPhotos photos = Inputs.alignedPhotos(p, align, model.modelDir, spec.commandLine().getErr());
    return photos.entries.get(0);
  }

  private static LatentCode code(PspModel m, Path p) throws IOException {
    if (Io.isNpy(p)) {
      LatentCode c = LatentCode.load(p);
      return c.sample(0);
    }
    return m.encoder().encode(Io.readImage(p));
  }
}
