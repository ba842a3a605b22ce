package dev.psp.cli;

import dev.psp.synthetic.FaceLabels;
import dev.psp.training.ProgressBar;
import dev.psp.training.parser.FaceParser;
import dev.psp.training.parser.FaceParserTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp train-parser}: trains the SDK's face parser ({@link FaceParser}) on the synthetic face
 * domain's label maps, prints its scores on held-out faces and writes the checkpoint that {@code psp
 * train -s sdk_parser=<file> -s sdk_parser_lambda=<w>} matches features on.
 */
@Command(name = "train-parser", mixinStandardHelpOptions = true,
    description = "Train a face parser on the synthetic face domain, for pSp training's sdk_parser_lambda.")
final class ParserCommand implements Callable<Integer> {
  private static final int HELD_OUT = 64;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<file.pt>", description = "Checkpoint to write.")
  Path output;

  @Option(names = "--size", defaultValue = "64", description = "Resolution: the pSp output size, a power of two from 16 to 256 (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--width", defaultValue = "16", description = "Channels of the first layer (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--steps", required = true, description = "Training steps.")
  int steps;

  @Option(names = "--batch", defaultValue = "16", description = "Faces per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--faces", defaultValue = "4000", description = "Synthetic faces to draw from (default: ${DEFAULT-VALUE}).")
  int faces;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the faces and of training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || batch < 1 || faces < 1 || !(lr > 0)) {
      throw new PspCli.UsageException("--steps, --batch and --faces must be >= 1 and --lr > 0, got " + steps + ", "
          + batch + ", " + faces + ", " + lr);
    }
    if (size > dev.psp.Encoder.INPUT_SIZE) {
      throw new PspCli.UsageException("--size " + size + ": pSp training matches the parser's features on its "
          + dev.psp.Encoder.INPUT_SIZE + "-px outputs pooled to the parser's size; give the pSp output size, 16 to "
          + dev.psp.Encoder.INPUT_SIZE);
    }
    FaceParser parser;
    try {
      parser = new FaceParser(size, width);
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    try (FaceParserTrainer t = new FaceParserTrainer(parser, seed, faces, batch, lr)) {
      out.println("training " + t);
      out.flush();
      long t0 = System.nanoTime();
      ProgressBar bar = new ProgressBar(System.err);
      t.train(steps - 1, bar::onStep);
      t.checkpoint().write(output);
      FaceParserTrainer.Evaluation e = t.evaluate(seed, faces, HELD_OUT); // faces after the training ones
      double[] iou = e.iou();
      out.printf(Locale.ROOT, "trained %d steps in %.1f min; wrote %s%n", steps, (System.nanoTime() - t0) / 6e10, output);
      out.printf(Locale.ROOT, "held-out faces %d..%d: pixel accuracy %.3f; IoU background %.2f, skin %.2f, hair %.2f,"
          + " glasses %.2f, eyes %.2f, mouth and lips %.2f%n", faces, faces + HELD_OUT - 1, e.pixelAccuracy(),
          iou[FaceLabels.BACKGROUND], iou[FaceLabels.SKIN], iou[FaceLabels.HAIR], iou[FaceLabels.EYE_GLASSES],
          mean(iou[FaceLabels.L_EYE], iou[FaceLabels.R_EYE]),
          mean(iou[FaceLabels.MOUTH], iou[FaceLabels.U_LIP], iou[FaceLabels.L_LIP]));
    }
    return 0;
  }

  private static double mean(double... v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }
}
