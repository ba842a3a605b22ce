package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.io.TensorData;
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
 * {@code psp mix}: multi-modal outputs by style mixing (paper §4.2): each input keeps its code's other
 * rows and takes {@code --layers} from random codes (or from {@code --inject-latent}), blended by
 * {@code --alpha}.
 */
@Command(name = "mix", mixinStandardHelpOptions = true,
    description = "Multi-modal synthesis: mix chosen W+ rows of each input with random (or given) codes.")
final class MixCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin NoiseOptions noise;
  @Mixin AlignOptions align;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image|.npy|folder>",
      description = "An image, a folder of images, or a preprocessed float32 .npy [B,C,256,256].")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<folder|.npy>",
      description = "A folder (<input>_mix<k>.png) or an .npy of the raw outputs [B*K,3,S,S].")
  Path output;

  @Option(names = {"--layers", "--rows"}, paramLabel = "<rows>", defaultValue = StyleMixer.DEFAULT_ROWS,
      description = "W+ rows to mix: coarse, medium, fine (rows 0-2, 3-6, 7 to the last; they fit every output "
          + "size) or 0-based numbers and ranges like the official latent_mask, e.g. 8-17 (default: ${DEFAULT-VALUE}).")
  String layers;

  /** The most variants per input one call makes (each is a full image). */
  static final int MAX_SAMPLES = 1000;

  @Option(names = "--alpha", defaultValue = "1.0", description = "Weight of the injected code in [0,1] (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--samples", defaultValue = "4", description = "Random variants per input (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--inject-latent", paramLabel = "<w.npy>",
      description = "Mix with these codes instead of random ones: a w [1,dim], a W+ code [n_styles,dim], or codes "
          + "[K,n_styles,dim] (one variant each).")
  Path injectLatent;

  @Option(names = "--resize", description = "Pool outputs to 256x256.")
  boolean resize;

  @Option(names = "--batch-size", defaultValue = "4", description = "Inputs per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    model.validate();
    Io.checkNotInput(input, output);
    Inputs.checkBatchSize(batchSize);
    if (samples < 1 || samples > MAX_SAMPLES) {
      throw new PspCli.UsageException("--samples must be in 1.." + MAX_SAMPLES + ", got " + samples);
    }
    align.validate();
    AlignedPhotos photos = align.align ? Inputs.alignedPhotos(input, align, model.modelDir, spec.commandLine().getErr()) : null;
    Inputs in = photos != null ? Inputs.aligned(photos) : Inputs.open(input);
    try (PspModel m = model.load()) {
      int n = m.config().nStyles();
      StyleMixer mixer;
      try {
        mixer = StyleMixer.parse(layers, alpha);
        mixer.rows(n);
      } catch (IllegalArgumentException e) {
        throw new PspCli.UsageException(e.getMessage());
      }
      List<LatentCode> injects;
      if (injectLatent != null) {
        injects = injectedCodes(n);
      } else {
        injects = StyleMixer.randomCodes(m.generator(), samples, noise.seed); // drawn once for every batch
      }
      int variants = injects.size();
      PastedOutputs pasted = align.pasteBack ? new PastedOutputs(output, photos, variants) : null;
      Outputs sink = pasted == null ? new Outputs(output, in.size() * variants) : null;
      Progress progress = new Progress(spec.commandLine().getErr(), "images", in.size() * variants);
      for (Inputs.Batch b : in.batches(m, batchSize)) {
        LatentCode codes = m.encoder().encode(b.tensor());
        for (int k = 0; k < variants; k++) {
          List<String> names = new ArrayList<>();
          for (String name : b.names()) {
            names.add(String.format(Locale.ROOT, "%s_mix%d", name, k));
          }
          TensorData images = m.generator().synthesize(mixer.mix(codes, injects.get(k)), NoiseOptions.forVariant(noise, k, b.numbers()),
              OutputSize.of(resize));
          if (pasted != null) {
            pasted.write(images, b.from(), String.format(Locale.ROOT, "_mix%d", k));
          } else {
            sink.write(images, names);
          }
          progress.advance(names.size());
        }
      }
      if (pasted != null) {
        pasted.close();
      } else {
        sink.close();
      }
      spec.commandLine().getOut().println("mixed " + progress.finish() + " with " + mixer + " -> " + output);
    }
    return photos == null ? 0 : photos.exitCode();
  }

  /**
   * The codes of {@code --inject-latent}, one variant each: a w {@code [1,dim]} on every row, or what
   * {@link LatentCode#load} reads (one code {@code [n,dim]} or K codes {@code [K,n,dim]}); codes of
   * another row count or more than {@link #MAX_SAMPLES} are a usage error that says which shapes fit.
   */
  private List<LatentCode> injectedCodes(int n) throws java.io.IOException {
    TensorData t = Io.readNpy(injectLatent);
    long[] s = t.shape();
    boolean w = s.length == 2 && s[0] == 1 && n != 1
        && (t.dtype() == dev.psp.io.DType.FLOAT32 || t.dtype() == dev.psp.io.DType.FLOAT64);
    LatentCode codes = w ? LatentCode.fromTensor(t, n) : LatentCode.load(injectLatent); // load checks the dtype
    if (codes.nStyles() != n || codes.batchSize() > MAX_SAMPLES) {
      throw new PspCli.UsageException(injectLatent + ": --inject-latent takes a w [1,dim], a W+ code [" + n
          + ",dim] or codes [K," + n + ",dim] with K <= " + MAX_SAMPLES + " for this " + n + "-style model, got "
          + java.util.Arrays.toString(s));
    }
    List<LatentCode> out = new ArrayList<>();
    for (int k = 0; k < codes.batchSize(); k++) {
      out.add(codes.sample(k));
    }
    return out;
  }
}
