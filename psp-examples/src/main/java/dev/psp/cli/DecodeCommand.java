package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.PspModel;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp decode}: W+ codes ({@code .npy}) to images. */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode W+ codes (.npy) into images.")
final class DecodeCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin NoiseOptions noise;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<codes.npy>",
      description = "Codes [B,n_styles,512] (or [n_styles,512]).")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder, or an .npy of the raw outputs [B,3,S,S].")
  Path output;

  @Option(names = "--resize", description = "Pool outputs to 256x256 (the official face_pool).")
  boolean resize;

  @Option(names = "--batch-size", defaultValue = "4", description = "Codes per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    model.validate();
    Io.checkNotInput(input, output);
    if (!Io.isNpy(input)) {
      throw new PspCli.UsageException("--input must be an .npy file of codes, got " + input);
    }
    Inputs.checkBatchSize(batchSize);
    LatentCode codes;
    try {
      codes = LatentCode.load(input);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("input " + input + " does not exist");
    }
    Outputs sink = new Outputs(output, codes.batchSize());
    try (PspModel m = model.load()) {
      Progress progress = new Progress(spec.commandLine().getErr(), "images", codes.batchSize());
      for (int from = 0; from < codes.batchSize(); from += batchSize) {
        int to = Math.min(codes.batchSize(), from + batchSize);
        List<LatentCode> part = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int b = from; b < to; b++) {
          part.add(codes.sample(b));
          names.add(String.format(Locale.ROOT, "%s_%03d", Io.stem(input), b));
        }
        TensorData images;
        try {
          images = m.generator().synthesize(LatentCode.concat(part), noise.noise().fromSample(from), OutputSize.of(resize));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(input + ": " + e.getMessage(), e); // the model names no file
        }
        sink.write(images, names);
        progress.advance(to - from);
      }
      sink.close();
      spec.commandLine().getOut().println("decoded " + progress.finish() + " -> " + output);
    }
    return 0;
  }
}
