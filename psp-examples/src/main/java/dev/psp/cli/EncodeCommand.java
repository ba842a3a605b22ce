package dev.psp.cli;

import dev.psp.LatentCode;
import dev.psp.PspModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp encode}: inputs to W+ codes {@code [B, n_styles, 512]} (latent_avg included). */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode inputs into W+ codes (.npy).")
final class EncodeCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin AlignOptions align;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder of images, or a preprocessed float32 .npy [B,C,256,256].")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<codes.npy>", description = "Where to write the codes.")
  Path output;

  @Option(names = "--batch-size", defaultValue = "4", description = "Inputs per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    model.validate();
    Io.checkNotInput(input, output);
    Inputs.checkBatchSize(batchSize);
    if (!Io.isNpy(output)) {
      throw new PspCli.UsageException("--output must be an .npy file, got " + output);
    }
    align.validate();
    if (align.pasteBack) {
      throw new PspCli.UsageException("--paste-back needs images to paste; encode writes codes (use translate, mix or interpolate)");
    }
    AlignedPhotos photos = align.align ? Inputs.alignedPhotos(input, align, model.modelDir, spec.commandLine().getErr()) : null;
    Inputs in = photos != null ? Inputs.aligned(photos) : Inputs.open(input);
    try (PspModel m = model.load()) {
      Progress progress = new Progress(spec.commandLine().getErr(), "images", in.size());
      List<LatentCode> codes = new ArrayList<>();
      for (Inputs.Batch b : in.batches(m, batchSize)) {
        codes.add(m.encoder().encode(b.tensor()));
        progress.advance(b.names().size());
      }
      Io.createParent(output);
      LatentCode all = LatentCode.concat(codes);
      all.save(output);
      spec.commandLine().getOut().println("encoded " + progress.finish() + " -> " + output + " " + all);
    }
    return photos == null ? 0 : photos.exitCode();
  }
}
