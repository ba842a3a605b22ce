package dev.psp.cli;

import dev.psp.LatentCode;
import dev.psp.PspModel;
import dev.psp.edit.BoundaryLearner;
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
 * {@code psp learn-direction}: an editing direction from two labelled sets (InterFaceGAN's linear
 * boundary): images with the attribute and without it, or their codes.
 */
@Command(name = "learn-direction", mixinStandardHelpOptions = true,
    description = "Learn an editing direction (InterFaceGAN's SVM normal) from inputs with and without an attribute.")
final class LearnDirectionCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--positive", required = true, paramLabel = "<folder|codes.npy>", description = "Inputs with the attribute.")
  Path positive;

  @Option(names = "--negative", required = true, paramLabel = "<folder|codes.npy>", description = "Inputs without it.")
  Path negative;

  @Option(names = "--space", defaultValue = "w", description = "w (one row, the mean of each code's rows) or w+ (every row) (default: ${DEFAULT-VALUE}).")
  String space;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<direction.npy>", description = "Where the unit direction goes.")
  Path output;

  @Override
  public Integer call() throws Exception {
    model.validate();
    BoundaryLearner.Space s = switch (space.toLowerCase(Locale.ROOT)) {
      case "w" -> BoundaryLearner.Space.W;
      case "w+", "wplus" -> BoundaryLearner.Space.W_PLUS;
      default -> throw new PspCli.UsageException("--space must be w or w+, got " + space);
    };
    if (!Io.isNpy(output)) {
      throw new PspCli.UsageException("--output must be an .npy file, got " + output);
    }
    try (PspModel m = model.load()) {
      LatentCode pos = codes(m, positive);
      LatentCode neg = codes(m, negative);
      BoundaryLearner.Boundary b = new BoundaryLearner(s, 1.0, 0L).learn(pos, neg);
      Io.createParent(output);
      b.direction().save(output);
      spec.commandLine().getOut().printf(Locale.ROOT,
          "learned a %s direction from %d positive and %d negative codes: training accuracy %.3f -> %s%n",
          s == BoundaryLearner.Space.W ? "W" : "W+", pos.batchSize(), neg.batchSize(), b.trainingAccuracy(), output);
    }
    return 0;
  }

  private LatentCode codes(PspModel m, Path p) throws Exception {
    if (Io.isNpy(p)) {
      return LatentCode.load(p);
    }
    List<Path> files = Io.imageFiles(p);
    if (files.isEmpty()) {
      throw new PspCli.UsageException(p + " has no images");
    }
    Progress progress = new Progress(spec.commandLine().getErr(), "encoded", files.size());
    List<LatentCode> out = new ArrayList<>();
    for (Path f : files) {
      out.add(m.encoder().encode(Io.readImage(f)));
      progress.advance(1);
    }
    progress.finish();
    return LatentCode.concat(out);
  }
}
