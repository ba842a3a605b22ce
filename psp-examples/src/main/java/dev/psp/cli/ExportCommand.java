package dev.psp.cli;

import dev.psp.LoadOptions;
import dev.psp.Psp;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp export}: writes a checkpoint in another format through {@link Psp#export} (the
 * exporters on the class path; {@code onnx} comes with psp-onnx: the encoder, mapping and generator
 * traced from the network definition in pure Java, with a JSON sidecar). No native library is loaded.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a pSp checkpoint, e.g. to ONNX: encoder.onnx, mapping.onnx, generator.onnx and psp.json.")
final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "<name|file.pt>",
      description = "Official name or alias (e.g. sketch), or a .pt checkpoint.")
  String model;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files.")
  Path modelDir;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<folder>",
      description = "Folder to write to (created if missing).")
  Path output;

  @Option(names = "--format", defaultValue = "onnx", paramLabel = "<format>",
      description = "Export format (default: ${DEFAULT-VALUE}; available: the exporters on the class path).")
  String format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions.checkModelName(model);
    if (!Psp.exportFormats().contains(format.toLowerCase(java.util.Locale.ROOT))) {
      throw new PspCli.UsageException("unknown export format '" + format + "'; available: " + Psp.exportFormats());
    }
    LoadOptions o = LoadOptions.defaults();
    if (modelDir != null) {
      o = o.optModelDir(modelDir);
    }
    List<Path> files = Psp.export(model, format, output, o);
    for (Path f : files) {
      out.printf("%-16s %,d bytes%n", f.getFileName(), Files.size(f));
    }
    return 0;
  }
}
