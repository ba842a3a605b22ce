package dev.psp.cli;

import dev.psp.align.AlignedFace;
import dev.psp.align.Face;
import dev.psp.align.FaceAligner;
import dev.psp.align.FfhqAlignment;
import dev.psp.align.LandmarkModel;
import dev.psp.align.RgbImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp bench-align}: wall-clock time of the face alignment of one photo (median of
 * {@code --iterations} after {@code --warmup}): detection with landmarks, then the FFHQ crop.
 */
@Command(name = "bench-align", mixinStandardHelpOptions = true,
    description = "Time face detection + 68 landmarks + the official FFHQ crop of one photo (median of --iterations after --warmup).")
final class BenchAlignCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image>", description = "The photo.")
  Path input;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iterations", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--landmarks-model", paramLabel = "<file>", description = "dlib's " + LandmarkModel.FILE + ".")
  Path landmarksModel;

  @Override
  public Integer call() throws Exception {
    if (warmup < 0 || iterations < 1) {
      throw new PspCli.UsageException("--warmup must be >= 0 and --iterations >= 1, got " + warmup + " and " + iterations);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(BenchCommand.machine());
    FaceAligner aligner = FaceAligner.load(LandmarkModel.locate(Optional.ofNullable(landmarksModel), Optional.empty()));
    RgbImage photo = RgbImage.of(Io.readImage(input));
    double[] detect = new double[iterations];
    double[] crop = new double[iterations];
    int faces = 0;
    for (int i = -warmup; i < iterations; i++) {
      long t0 = System.nanoTime();
      List<Face> found = aligner.detect(photo);
      long t1 = System.nanoTime();
      if (found.isEmpty()) {
        throw new java.io.IOException("no face found in " + input + ": benchmark a photo with a face");
      }
      AlignedFace a = FfhqAlignment.align(photo, found.get(found.size() - 1).landmarks());
      long t2 = System.nanoTime();
      if (i >= 0) {
        detect[i] = (t1 - t0) / 1e9;
        crop[i] = (t2 - t1) / 1e9;
      }
      faces = found.size();
      if (a.size() != FfhqAlignment.DEFAULT_OUTPUT_SIZE) {
        throw new IllegalStateException("unexpected crop size " + a.size());
      }
    }
    double d = median(detect);
    double c = median(crop);
    out.printf(Locale.ROOT, "photo %s: %dx%d, %d face(s); %d warm-up, median of %d%n", input, photo.width(),
        photo.height(), faces, warmup, iterations);
    out.printf(Locale.ROOT, "detect + landmarks (all faces): %.4f s%n", d);
    out.printf(Locale.ROOT, "FFHQ crop (last face, 256):     %.4f s%n", c);
    out.printf(Locale.ROOT, "total:                          %.4f s%n", d + c);
    return 0;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
