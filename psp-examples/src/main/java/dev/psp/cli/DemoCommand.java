package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.TranslationTask;
import dev.psp.image.SuperResolution;
import dev.psp.synthetic.SyntheticFaces;
import dev.psp.training.latent.LatentOptimizer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp demo}: every task on held-out synthetic faces, offline. For each task it loads the
 * model by name (the official file when it is in the model folder, else the bundled demo model),
 * translates synthetic inputs, adds multi-modal variants by style mixing and, for inversion, an
 * interpolation strip; it writes one PNG grid per task and an {@code index.html} page that shows
 * them, and prints where the page is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run every task on synthetic faces and write PNG grids and an HTML page.")
final class DemoCommand implements Callable<Integer> {
  /** The seed of the held-out synthetic faces (the demo models never saw these). */
  static final long HELD_OUT_SEED = 777_000_000L;
  /** Seed of the random codes whose fine rows the style-mixing scores take. */
  static final long STYLE_SEED = HELD_OUT_SEED + 1;
  /** Codes the "one style" score averages over. */
  static final int ONE_STYLE_RUNS = 4;
  private static final int TILE = 128;
  /** Held-out pairs per task that {@code scores.json} scores (the grid shows the first {@code --samples}). */
  static final int SCORED_PAIRS = 16;
  /** The super-resolution factor of the page and of its scores. */
  static final int DEMO_SR_FACTOR = 8;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, defaultValue = "psp-demo", paramLabel = "<folder>",
      description = "Folder for the grids and index.html (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--engine", paramLabel = "<name>", description = "Engine: pytorch or onnx (default: the best found).")
  String engine;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding official .pt files.")
  Path modelDir;

  @Option(names = "--samples", defaultValue = "4",
      description = "Inputs per task shown, 1 to " + MAX_SAMPLES + " (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--variants", defaultValue = "3",
      description = "Style-mixing variants per input, 0 to " + MAX_VARIANTS + " (default: ${DEFAULT-VALUE}).")
  int variants;

  /** The most inputs per task a page shows (each is a row of every grid). */
  static final int MAX_SAMPLES = 64;
  /** The most style-mixing variants per input (each is a column). */
  static final int MAX_VARIANTS = 16;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the style-mixing codes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--optimize", paramLabel = "<steps>",
      description = "Inversion: also show and score the codes after <steps> Adam steps towards each input"
          + " (psp translate --optimize; 0: skip; default: " + DEFAULT_OPTIMIZE_STEPS + " for generators of up to "
          + LARGEST_SYNTHETIC_SIZE + " px, 0 above).")
  Integer optimizeSteps;

  /** {@code --optimize}'s default for generators of up to {@link #LARGEST_SYNTHETIC_SIZE} px. */
  static final int DEFAULT_OPTIMIZE_STEPS = 200;
  /**
   * The largest generator the demo learns edits for, and optimizes codes for unless {@code --optimize}
   * says so: the synthetic domain's render size. The official 1024-px generators would take hours on a
   * CPU for either, and the edits would hold thousands of labelled faces rendered at their size.
   */
  static final int LARGEST_SYNTHETIC_SIZE = 256;

  /** One task's section of the page. */
  private record Section(String title, String file, String model, String columns, double seconds) {}

  /** Edits: balanced held-out faces per class for the judge's accuracy, held-out faces edited, strength in standard deviations. */
  static final int EDIT_FACES_PER_CLASS = 60;
  static final int EDIT_HELD_OUT = 40;
  static final double EDIT_SIGMAS = 3;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (optimizeSteps != null) {
      TranslateCommand.checkOptimizeSteps(optimizeSteps);
    }
    if (samples < 1 || samples > MAX_SAMPLES) {
      throw new PspCli.UsageException("--samples must be between 1 and " + MAX_SAMPLES + ", got " + samples);
    }
    if (variants < 0 || variants > MAX_VARIANTS) {
      throw new PspCli.UsageException("--variants must be between 0 and " + MAX_VARIANTS + " (0: no style-mixing"
          + " columns), got " + variants);
    }
    Files.createDirectories(output);
    List<Section> sections = new ArrayList<>();
    Map<String, DemoScores> scores = new LinkedHashMap<>();
    TranslationTask[] tasks = {TranslationTask.INVERSION, TranslationTask.FRONTALIZATION,
        TranslationTask.SKETCH_TO_FACE, TranslationTask.SEGMENTATION_TO_FACE,
        TranslationTask.SUPER_RESOLUTION, TranslationTask.INPAINTING};
    LoadOptions opts = LoadOptions.defaults();
    if (engine != null) {
      opts = opts.optEngine(engine);
    }
    if (modelDir != null) {
      opts = opts.optModelDir(modelDir);
    }
    for (TranslationTask task : tasks) {
      String name = task.names().get(0);
      long t0 = System.nanoTime();
      try (PspModel m = Psp.load(name, opts)) {
        List<List<BufferedImage>> rows = new ArrayList<>();
        List<BufferedImage> inputs = new ArrayList<>();
        List<BufferedImage> truths = new ArrayList<>();
        int pairs = Math.max(samples, SCORED_PAIRS);
        for (int i = 0; i < pairs; i++) {
          SyntheticFaces.Pair p = SyntheticFaces.pair(task, HELD_OUT_SEED, i, 256);
          BufferedImage in = task == TranslationTask.SUPER_RESOLUTION
              ? SuperResolution.degrade(p.source(), DEMO_SR_FACTOR) : p.source();
          inputs.add(in);
          truths.add(p.target());
        }
        dev.psp.io.TensorData preprocessed = m.encoder().preprocess(inputs);
        LatentCode all = m.encoder().encode(preprocessed);
        List<BufferedImage> scored = m.generator().synthesizeImages(all, Noise.fixed(), OutputSize.FULL);
        scores.put(name, DemoScores.of(scored, truths));
        if (task == TranslationTask.SKETCH_TO_FACE || task == TranslationTask.SEGMENTATION_TO_FACE) {
          scoreStyleMixing(m, name, all, truths, scores);
        }
        int steps = task == TranslationTask.INVERSION ? optimizeSteps(m, out) : 0;
        List<BufferedImage> optimized = steps > 0 ? optimize(m, name, all, preprocessed, truths, scores, steps) : null;
        LatentCode codes = all.slice(0, samples);
        List<BufferedImage> outs = scored.subList(0, samples);
        boolean mixing = variants > 0 && (task == TranslationTask.SKETCH_TO_FACE
            || task == TranslationTask.SEGMENTATION_TO_FACE || task == TranslationTask.SUPER_RESOLUTION);
        StyleMixer mixer = StyleMixer.parse(StyleMixer.DEFAULT_ROWS, 1.0);
        List<List<BufferedImage>> mixed = new ArrayList<>();
        if (mixing) {
          for (LatentCode v : mixer.variants(m.generator(), codes, variants, seed)) {
            mixed.add(m.generator().synthesizeImages(v, Noise.fixed(), OutputSize.FULL));
          }
        }
        for (int i = 0; i < samples; i++) {
          List<BufferedImage> row = new ArrayList<>(List.of(display(inputs.get(i), task), outs.get(i), truths.get(i)));
          if (optimized != null) {
            row.add(2, optimized.get(i));
          }
          for (List<BufferedImage> v : mixed) {
            row.add(v.get(i));
          }
          rows.add(row);
        }
        String columns = "input | output" + (optimized == null ? "" : " | output after " + steps
            + " optimization steps on its code") + " | ground truth" + (mixing
            ? " | " + variants + " variants (the " + StyleMixer.DEFAULT_ROWS + " rows of the code from random w)" : "");
        if (task == TranslationTask.INVERSION) {
          rows.add(interpolation(m, all.sample(0), all.sample(1), rows.get(0).size()));
          columns += "; last row: interpolation between the codes of the first two inputs";
        }
        String file = "demo_" + task.name().toLowerCase(Locale.ROOT) + ".png";
        dev.psp.internal.AtomicFiles.writeImage(output.resolve(file), grid(rows), "png");
        double sec = (System.nanoTime() - t0) / 1e9;
        sections.add(new Section(title(task), file, m.toString(), columns, sec));
        out.printf(Locale.ROOT, "%-22s %s  (%.1f s)%n", name, output.resolve(file), sec);
        if (task == TranslationTask.INVERSION) {
          if (m.config().outputSize() <= LARGEST_SYNTHETIC_SIZE) {
            sections.add(edits(m, out));
          } else {
            out.printf(Locale.ROOT, "%-22s skipped: the edits are learned from synthetic faces rendered at the generator's"
                + " size, which takes hours above %d px (this generator: %d px)%n", "edits", LARGEST_SYNTHETIC_SIZE,
                m.config().outputSize());
          }
          sections.add(restyle(opts, inputs, truths, scores, out));
        }
      }
    }
    dev.psp.internal.AtomicFiles.writeString(output.resolve("scores.json"), DemoScores.json(scores));
    for (Map.Entry<String, DemoScores> e : scores.entrySet()) {
      out.printf(Locale.ROOT, "%-22s held-out L2 %.4f, PSNR %.2f dB, input following %.2f (%d pairs)%n", e.getKey(),
          e.getValue().l2(), e.getValue().psnr(), e.getValue().inputFollowing(), e.getValue().pairs());
    }
    Path page = output.resolve("index.html").toAbsolutePath();
    dev.psp.internal.AtomicFiles.writeString(page, html(sections));
    out.println("Demo page: " + page);
    return 0;
  }

  /**
   * Scores the multi-modal outputs of a task whose input carries no colour: the fine rows from a
   * random code ({@link StyleMixer#DEFAULT_ROWS}), a different one per pair (as the page's variant
   * columns differ), and one code for all pairs (averaged over {@value #ONE_STYLE_RUNS} codes), where
   * outputs differ only as their inputs do: a model that ignores its input scores 0 there.
   */
  private static void scoreStyleMixing(PspModel m, String name, LatentCode all, List<BufferedImage> truths,
      Map<String, DemoScores> scores) {
    StyleMixer mixer = StyleMixer.parse(StyleMixer.DEFAULT_ROWS, 1.0);
    List<LatentCode> styles = StyleMixer.randomCodes(m.generator(), all.batchSize(), STYLE_SEED);
    LatentCode perPair = mixer.mix(all, LatentCode.concat(styles));
    scores.put(name + " + style mixing",
        DemoScores.of(m.generator().synthesizeImages(perPair, Noise.fixed(), OutputSize.FULL), truths));
    List<DemoScores> runs = new ArrayList<>();
    for (LatentCode one : mixer.variants(m.generator(), all, ONE_STYLE_RUNS, STYLE_SEED)) {
      runs.add(DemoScores.of(m.generator().synthesizeImages(one, Noise.fixed(), OutputSize.FULL), truths));
    }
    scores.put(name + " + one style", DemoScores.mean(runs));
  }

  /** {@code --optimize}, or its default for the inversion model's generator (said when it skips). */
  private int optimizeSteps(PspModel m, PrintWriter out) {
    if (optimizeSteps != null) {
      return optimizeSteps;
    }
    if (m.config().outputSize() <= LARGEST_SYNTHETIC_SIZE) {
      return DEFAULT_OPTIMIZE_STEPS;
    }
    out.printf(Locale.ROOT, "%-22s skipped: a %d-px generator takes seconds per step on a CPU;"
        + " --optimize <steps> runs it anyway%n", "optimization", m.config().outputSize());
    return 0;
  }

  /**
   * The inversion codes after {@code steps} Adam steps towards their inputs ({@link LatentOptimizer}),
   * scored as {@code "<name> + <steps> optimization steps"}; returns their images.
   */
  private List<BufferedImage> optimize(PspModel m, String name, LatentCode all, dev.psp.io.TensorData inputs,
      List<BufferedImage> truths, Map<String, DemoScores> scores, int steps) throws dev.psp.PspException {
    Progress progress = new Progress(spec.commandLine().getErr(), "optimization steps", steps);
    LatentCode optimized;
    try (LatentOptimizer o = LatentOptimizer.of(m)) {
      optimized = o.optimize(all, inputs, steps, LatentOptimizer.DEFAULT_LEARNING_RATE,
          (done, total, l2) -> progress.advance(1)).codes();
    }
    progress.finish();
    List<BufferedImage> images = m.generator().synthesizeImages(optimized, Noise.fixed(), OutputSize.FULL);
    scores.put(name + " + " + steps + " optimization steps", DemoScores.of(images, truths));
    return images;
  }

  /** ReStyle's refinement of the inversion inputs, every step shown. */
  private Section restyle(LoadOptions opts, List<BufferedImage> inputs, List<BufferedImage> truths,
      Map<String, DemoScores> scores, PrintWriter out) throws Exception {
    long t0 = System.nanoTime();
    try (PspModel r = Psp.load("restyle", opts)) {
      int steps = 5;
      List<dev.psp.RefinementStep> run = r.refine(inputs, steps);
      List<BufferedImage> last = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        last.add(dev.psp.image.ImageConversion.toImage(run.get(steps - 1).image(), i));
      }
      scores.put("restyle", DemoScores.of(last, truths));
      List<List<BufferedImage>> rows = new ArrayList<>();
      for (int i = 0; i < samples; i++) {
        List<BufferedImage> row = new ArrayList<>(List.of(inputs.get(i)));
        for (dev.psp.RefinementStep st : run) {
          row.add(dev.psp.image.ImageConversion.toImage(st.image(), i));
        }
        row.add(truths.get(i));
        rows.add(row);
      }
      String file = "demo_restyle.png";
      dev.psp.internal.AtomicFiles.writeImage(output.resolve(file), grid(rows), "png");
      double sec = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "%-22s %s  (%.1f s)%n", "restyle", output.resolve(file), sec);
      return new Section("ReStyle: iterative refinement", file, r.toString(), "input | steps 1 to " + steps
          + " (each encodes the input next to the previous reconstruction and adds to the code) | ground truth", sec);
    }
  }

  /** Directions learned from the synthetic labels, their strips, and how often the judge saw the edit. */
  private Section edits(PspModel m, PrintWriter out) throws java.io.IOException {
    long t0 = System.nanoTime();
    List<List<BufferedImage>> rows = new ArrayList<>();
    StringBuilder caption = new StringBuilder();
    StringBuilder json = new StringBuilder("{\n");
    List<dev.psp.synthetic.FaceAttribute> attributes = List.of(dev.psp.synthetic.FaceAttribute.values());
    for (LearnedEdits.Result r : LearnedEdits.learn(m, attributes, EDIT_FACES_PER_CLASS, EDIT_HELD_OUT, EDIT_SIGMAS,
        2, 7)) {
      dev.psp.synthetic.FaceAttribute a = r.attribute();
      rows.addAll(r.strip());
      caption.append(String.format(Locale.ROOT, "%s: rows %d-%d, edit moved the judge's score for %.0f%% of %d held-out faces"
          + " (judge accuracy %.2f on faces, %.2f on their reconstructions; boundary accuracy %.2f); ", a.displayName(),
          rows.size() - r.strip().size() + 1, rows.size(), 100 * r.moved(), r.heldOut(), r.classifierAccuracy(),
          r.reconstructionAccuracy(), r.boundaryAccuracy()));
      json.append(String.format(Locale.ROOT, "  \"%s\": {\"moved\": %.4f, \"held_out\": %d, \"judge_accuracy\": %.4f,"
          + " \"reconstruction_accuracy\": %.4f, \"boundary_accuracy\": %.4f, \"strength\": %.4f, \"sigmas\": %.1f}%s%n",
          a.displayName(), r.moved(), r.heldOut(), r.classifierAccuracy(), r.reconstructionAccuracy(),
          r.boundaryAccuracy(), r.strength(), EDIT_SIGMAS,
          a.ordinal() + 1 < dev.psp.synthetic.FaceAttribute.values().length ? "," : ""));
    }
    dev.psp.internal.AtomicFiles.writeString(output.resolve("edits.json"), json.append("}\n").toString());
    String file = "demo_edits.png";
    dev.psp.internal.AtomicFiles.writeImage(output.resolve(file), grid(rows), "png");
    double sec = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "%-22s %s  (%.1f s)%n", "edits", output.resolve(file), sec);
    return new Section("learned edits", file, m.toString(), "each row one held-out face edited from -" + (int) EDIT_SIGMAS
        + " to +" + (int) EDIT_SIGMAS + " standard deviations along a direction learned from the synthetic labels"
        + " (InterFaceGAN's boundary in W between the " + LearnedEdits.SAMPLES + " generator samples a labeller scored"
        + " highest and lowest); " + caption + "numbers in edits.json", sec);
  }

  private static List<BufferedImage> interpolation(PspModel m, LatentCode a, LatentCode b, int frames) {
    List<BufferedImage> row = new ArrayList<>();
    int k = Math.max(frames, 5);
    for (int i = 0; i < k; i++) {
      row.add(m.generator().synthesizeImages(a.interpolate(b, i / (double) (k - 1)), Noise.fixed(), OutputSize.FULL).get(0));
    }
    return row;
  }

  /** A segmentation input drawn in colours; other inputs as they are. */
  private static BufferedImage display(BufferedImage input, TranslationTask task) {
    if (task != TranslationTask.SEGMENTATION_TO_FACE) {
      return input;
    }
    BufferedImage c = new BufferedImage(input.getWidth(), input.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < input.getHeight(); y++) {
      for (int x = 0; x < input.getWidth(); x++) {
        int id = input.getRaster().getSample(x, y, 0);
        c.setRGB(x, y, dev.psp.synthetic.FaceLabels.colour(id));
      }
    }
    return c;
  }

  private static BufferedImage grid(List<List<BufferedImage>> rows) {
    int cols = rows.stream().mapToInt(List::size).max().orElse(1);
    BufferedImage g = new BufferedImage(cols * TILE, rows.size() * TILE, BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = g.createGraphics();
    gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < rows.get(r).size(); c++) {
        gr.drawImage(rows.get(r).get(c), c * TILE, r * TILE, TILE, TILE, null);
      }
    }
    gr.dispose();
    return g;
  }

  private static String html(List<Section> sections) {
    StringBuilder sb = new StringBuilder("""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>pSp for Java: demo</title>
        <style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}
        img{max-width:100%%;image-rendering:pixelated;border:1px solid #ccc}
        .meta{color:#666;font-size:90%%}</style></head><body>
        <h1>pSp for Java: every task on held-out synthetic faces</h1>
        <p>Inputs are drawn by the SDK's synthetic face domain (seed %d, never seen in training).
        Each model was loaded by name: the official checkpoint when it is in the model folder,
        otherwise the demo model bundled with the SDK (trained by the SDK itself on synthetic faces).</p>
        """.formatted(HELD_OUT_SEED));
    for (Section s : sections) {
      sb.append("<h2>").append(s.title()).append("</h2>\n")
          .append("<p class=\"meta\">").append(escape(s.model())).append(String.format(Locale.ROOT,
              " &middot; %.1f s", s.seconds())).append("<br>Columns: ").append(escape(s.columns()))
          .append("</p>\n<img src=\"").append(s.file()).append("\" alt=\"").append(s.title())
          .append("\">\n");
    }
    return sb.append("</body></html>\n").toString();
  }

  private static String title(TranslationTask t) {
    return t.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
