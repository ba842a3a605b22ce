package dev.psp.cli;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.training.Criteria;
import dev.psp.training.ProgressBar;
import dev.psp.training.PspTrainer;
import dev.psp.training.StyleGanArgs;
import dev.psp.training.TrainOptionDocs;
import dev.psp.training.TrainOptions;
import dev.psp.training.data.ImageFolderDataset;
import dev.psp.training.data.PairedDataset;
import dev.psp.training.data.SyntheticPairs;
import dev.psp.training.data.TaskTransforms;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp train}: trains a pSp model with the official options ({@code --set key=value}, or the
 * {@code opts} of an official checkpoint with {@code --opts-from}) on paired image folders or on the
 * synthetic face domain, with a progress bar; resumes from {@code <exp_dir>/checkpoints/latest.pt}
 * when it exists.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train pSp (official options and checkpoint format; resumes automatically).",
        "Training options are the official ones (dataset_type, output_size, batch_size, learning_rate, l2_lambda,"
            + " lpips_lambda, stylegan_weights, max_steps, ...) and sdk_* additions, set with -s key=value;"
            + " --list-options prints them all with their defaults and meanings."})
final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--list-options", description = "Print every training option (grouped, with default and meaning) and exit.")
  boolean listOptions;

  @Option(names = "--exp-dir", paramLabel = "<folder>", description = "Output folder (official exp_dir); required to train.")
  Path expDir;

  @Option(names = "--opts-from", paramLabel = "<file.pt>",
      description = "Start from the opts saved in a pSp checkpoint (e.g. an official one).")
  Path optsFrom;

  @Option(names = {"-s", "--set"}, paramLabel = "key=value",
      description = "An official option (dataset_type, output_size, batch_size, learning_rate, lpips_lambda,"
          + " stylegan_weights, max_steps, ...) or an sdk_* option. Repeatable.")
  List<String> sets = List.of();

  @Option(names = "--train-source", paramLabel = "<folder>",
      description = "Training inputs (sketches, label maps, photos); paired with --train-target by sorted file name.")
  Path trainSource;

  @Option(names = "--train-target", paramLabel = "<folder>", description = "Training targets (the faces to produce).")
  Path trainTarget;

  @Option(names = "--test-source", paramLabel = "<folder>", description = "Validation inputs, paired like the training ones.")
  Path testSource;

  @Option(names = "--test-target", paramLabel = "<folder>", description = "Validation targets.")
  Path testTarget;

  @Option(names = "--synthetic", paramLabel = "<count>",
      description = "Train on <count> pairs of the synthetic face domain (test: 16 held-out pairs) instead of folders.")
  Integer synthetic;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (listOptions) {
      printOptions(out);
      return 0;
    }
    if (expDir == null) {
      throw new PspCli.UsageException("--exp-dir is required (the folder for checkpoints and logs)");
    }
    Map<String, Object> o = new LinkedHashMap<>();
    if (optsFrom != null) {
      try (Checkpoint c = CheckpointReader.read(optsFrom)) {
        o.putAll(c.opts());
      }
      o.remove("device");
      o.remove("n_styles");
    }
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq < 1) {
        throw new PspCli.UsageException("--set needs key=value, got '" + s + "'");
      }
      o.put(s.substring(0, eq).trim(), parse(s.substring(eq + 1).trim()));
    }
    o.put("exp_dir", expDir.toString());
    TrainOptions opts;
    TaskTransforms t;
    try {
      opts = TrainOptions.of(StyleGanArgs.apply(o));
      t = new TaskTransforms(opts.task(), Math.max(opts.intOpt("label_nc"), 2),
          TaskTransforms.parseFactors(opts.string("resize_factors")));
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException(e.getMessage() + " (psp train --list-options lists every option)");
    }
    PairedDataset train;
    PairedDataset test;
    if (synthetic != null) {
      if (synthetic < 1) {
        throw new PspCli.UsageException("--synthetic needs a positive count, got " + synthetic);
      }
      checkCodeTargets(opts);
      train = new SyntheticPairs(t, opts.seed(), synthetic, true, opts.oversampling());
      test = new SyntheticPairs(t, opts.seed() + 1_000_003L, 16, false);
    } else {
      if (trainSource == null || trainTarget == null || testSource == null || testTarget == null) {
        throw new PspCli.UsageException("give --train-source, --train-target, --test-source and"
            + " --test-target folders, or --synthetic <count>");
      }
      if (opts.string("sdk_code_targets") != null) {
        throw new PspCli.UsageException("sdk_code_targets holds codes of synthetic faces (psp fit-codes): use it with"
            + " --synthetic");
      }
      if (opts.string("sdk_oversample") != null) {
        throw new PspCli.UsageException("sdk_oversample draws synthetic faces by their labels: use it with"
            + " --synthetic, or leave it out for image folders");
      }
      train = new ImageFolderDataset(trainSource, trainTarget, t, true);
      test = new ImageFolderDataset(testSource, testTarget, t, false);
    }
    out.println("training " + opts.task().names().get(0) + " at " + opts.outputSize() + " px into " + expDir
        + " (" + train.size() + " training pairs, " + test.size() + " test pairs)");
    out.flush();
    try (Criteria.Owned criterion = Criteria.fromOptions(opts);
        PspTrainer trainer = PspTrainer.create(opts, criterion, train, test)) {
      if (trainer.step() > 0) {
        out.println("resuming at step " + trainer.step() + " from " + expDir.resolve("checkpoints/latest.pt"));
        out.flush();
      }
      trainer.train(new ProgressBar(System.err));
    }
    out.println("checkpoints in " + expDir.resolve("checkpoints") + ", logs in " + expDir.resolve("logs"));
    return 0;
  }

  /** Every training option, grouped, with its default and meaning. */
  static void printOptions(PrintWriter out) {
    String group = null;
    for (TrainOptionDocs.Option opt : TrainOptionDocs.all()) {
      if (!opt.group().equals(group)) {
        group = opt.group();
        out.println(group + ":");
      }
      Object d = opt.defaultValue();
      out.printf("  %-22s %-20s %s%n", opt.key(), d == null ? "-" : d.toString(), opt.meaning());
    }
  }

  /**
   * A command-line value as the official argparse types give it: int, float, bool, None or str; and
   * {@code [1,2,3]} for a list (the sdk_body_units option).
   */
  static Object parse(String v) {
    if (v.equals("None") || v.equals("null")) {
      return null;
    }
    if (v.startsWith("[") && v.endsWith("]")) {
      String inner = v.substring(1, v.length() - 1).trim();
      return inner.isEmpty() ? List.of() : java.util.Arrays.stream(inner.split(",")).map(x -> parse(x.trim())).toList();
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /**
   * Refuses {@code sdk_code_targets} fitted to faces of another seed than the run's ({@code
   * <file>.json}, written by {@code psp fit-codes}, says which).
   */
  private static void checkCodeTargets(TrainOptions opts) throws java.io.IOException {
    String file = opts.string("sdk_code_targets");
    if (file == null) {
      return;
    }
    Path record = FitCodesCommand.record(Path.of(file));
    if (!java.nio.file.Files.isRegularFile(record)) {
      throw new PspCli.UsageException("sdk_code_targets " + file + " has no record " + record.getFileName()
          + " of the faces it fits: write the codes with psp fit-codes");
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"seed\":\\s*(-?\\d+)")
        .matcher(java.nio.file.Files.readString(record));
    if (!m.find()) {
      throw new PspCli.UsageException(record + " names no seed: write the codes with psp fit-codes");
    }
    if (Long.parseLong(m.group(1)) != opts.seed()) {
      throw new PspCli.UsageException("sdk_code_targets " + file + " fits faces of seed " + m.group(1)
          + ", this run trains on faces of sdk_seed " + opts.seed() + ": fit them with psp fit-codes --seed "
          + opts.seed());
    }
  }
}
