package dev.psp.cli;

import dev.psp.ModelConfig;
import dev.psp.ModelRegistry;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.nn.StateDictSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp info}: what a checkpoint holds, read in pure Java without loading any native library. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Describe a pSp checkpoint (task, architecture, parameters, opts) without running it.")
final class InfoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "<name|file.pt>", description = "Official name or .pt file.")
  String model;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files.")
  Path modelDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions.checkModelName(model);
    ModelRegistry.Resolved r = ModelRegistry.resolve(model, Optional.ofNullable(modelDir));
    try (Checkpoint cp = CheckpointReader.read(r.file())) {
      Optional<TensorData> avg = cp.latentAvg();
      ModelConfig c = ModelConfig.fromOpts(cp.opts(), avg.isPresent());
      if (r.task().isPresent()) {
        c = c.withTask(r.task().get());
      }
      Map<String, TensorData> sd = cp.stateDict();
      StateDictSpec spec = StateDictSpec.of(PspNetwork.forConfig(c));
      spec.check(sd, r.file().toString());
      long enc = 0;
      long dec = 0;
      for (StateDictSpec.Entry e : spec.entries()) {
        if (e.isParameter()) {
          if (e.key().startsWith("encoder.")) {
            enc += e.numel();
          } else {
            dec += e.numel();
          }
        }
      }
      out.printf("file:           %s (%,d bytes)%n", r.file(), Files.size(r.file()));
      out.printf("task:           %s (%s)%n", c.task(), c.task().names().get(0));
      out.printf("encoder:        %s%s%n", c.encoderType().officialName(), c.learnInW() ? " (learn_in_w)" : "");
      out.printf("input_nc:       %d (%s)%n", c.inputNc(), c.task().inputKind());
      out.printf("output size:    %d x %d%n", c.outputSize(), c.outputSize());
      out.printf("n_styles:       %d%n", c.nStyles());
      out.printf("latent_avg:     %s%s%n", avg.map(t -> Arrays.toString(t.shape())).orElse("none"),
          c.startFromLatentAvg() ? " (added to the encoder output)" : " (not used)");
      out.printf("parameters:     %,d (encoder %,d, decoder %,d); %d state_dict entries%n", enc + dec, enc, dec,
          sd.size());
      out.println("opts:");
      for (Map.Entry<String, Object> e : c.opts().entrySet()) {
        out.printf("  %-22s %s%n", e.getKey(), e.getValue());
      }
    }
    return 0;
  }
}
