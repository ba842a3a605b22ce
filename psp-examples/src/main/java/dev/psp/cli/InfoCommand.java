package dev.psp.cli;

import dev.psp.LoadOptions;
import dev.psp.ModelConfig;
import dev.psp.ModelInfo;
import dev.psp.Psp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp info}: what a checkpoint holds ({@link Psp#inspect}), read in pure Java without any native library. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Describe a pSp checkpoint (task, architecture, parameters, opts) without running it.")
final class InfoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "<name|file.pt>",
      description = "Official name or alias (e.g. sketch), or a .pt checkpoint.")
  String model;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files.")
  Path modelDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions.checkModelName(model);
    LoadOptions o = LoadOptions.defaults();
    if (modelDir != null) {
      o = o.optModelDir(modelDir);
    }
    ModelInfo info = Psp.inspect(model, o);
    ModelConfig c = info.config();
    out.printf("file:           %s (%,d bytes)%s%n", info.file(), info.fileSize(),
        info.bundled() ? ", the bundled demo model" : "");
    out.printf("task:           %s (%s)%n", c.task(), c.task().names().get(0));
    out.printf("family:         %s%s%n", c.family().displayName(),
        c.iterative() ? " (iterative: " + c.defaultIterations() + " refinement steps by default)" : "");
    out.printf("encoder:        %s%s%n", c.encoderType().officialName(), c.learnInW() ? " (learn_in_w)" : "");
    out.printf("input_nc:       %d (%s)%n", c.inputNc(), c.task().inputKind());
    out.printf("output size:    %d x %d%n", c.outputSize(), c.outputSize());
    out.printf("n_styles:       %d%n", c.nStyles());
    out.printf("latent_avg:     %s%s%n", info.latentAvg().map(t -> Arrays.toString(t.shape())).orElse("none"),
        c.startFromLatentAvg() ? " (added to the encoder output)" : " (not used)");
    out.printf("parameters:     %,d (encoder %,d, decoder %,d); %d state_dict entries%n", info.parameters(),
        info.encoderParameters(), info.decoderParameters(), info.stateDictEntries());
    out.println("opts:");
    for (Map.Entry<String, Object> e : c.opts().entrySet()) {
      out.printf("  %-22s %s%n", e.getKey(), e.getValue());
    }
    return 0;
  }
}
