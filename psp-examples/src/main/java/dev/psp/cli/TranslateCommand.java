package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.PspModel;
import dev.psp.io.TensorData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp translate}: the official inference, {@code pSp(x)}, on images, a folder or an {@code .npy} batch. */
@Command(name = "translate", mixinStandardHelpOptions = true,
    description = "Translate inputs with a pSp model (encode, then decode).")
final class TranslateCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin NoiseOptions noise;
  @Mixin AlignOptions align;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder of images, or a preprocessed float32 .npy [B,C,256,256].")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder, or an .npy of the raw outputs [B,3,S,S].")
  Path output;

  @Option(names = "--resize", description = "Pool outputs to 256x256 (the official face_pool).")
  boolean resize;

  @Option(names = "--batch-size", defaultValue = "4", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--latent-out", paramLabel = "<codes.npy>", description = "Also write the W+ codes [B,n_styles,512].")
  Path latentOut;

  @Override
  public Integer call() throws Exception {
    model.validate();
    align.validate();
    PrintWriter out = spec.commandLine().getOut();
    AlignedPhotos photos = align.align ? Inputs.alignedPhotos(input, align, model.modelDir, spec.commandLine().getErr()) : null;
    Inputs in = photos != null ? Inputs.aligned(photos) : Inputs.open(input);
    PastedOutputs pasted = align.pasteBack ? new PastedOutputs(output, photos, 1) : null;
    Outputs sink = pasted == null ? new Outputs(output, in.size()) : null;
    try (PspModel m = model.load()) {
      Progress progress = new Progress(spec.commandLine().getErr(), "images", in.size());
      List<LatentCode> codes = new ArrayList<>();
      int k = 0;
      for (Inputs.Batch b : in.batches(m, batchSize)) {
        LatentCode c = m.encoder().encode(b.tensor());
        TensorData images = m.generator().synthesize(c, NoiseOptions.forBatch(noise, k++), OutputSize.of(resize));
        if (pasted != null) {
          pasted.write(images, b.from(), "");
        } else {
          sink.write(images, b.names());
        }
        if (latentOut != null) {
          codes.add(c);
        }
        progress.advance(b.names().size());
      }
      if (pasted != null) {
        pasted.close();
      } else {
        sink.close();
      }
      if (latentOut != null) {
        Io.createParent(latentOut);
        LatentCode.concat(codes).save(latentOut);
      }
      out.println("translated " + progress.finish() + " -> " + output);
    }
    return photos == null ? 0 : photos.exitCode();
  }
}
