package dev.psp.spi;

import dev.psp.ModelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a checked model in another format, found with {@link java.util.ServiceLoader} (one line
 * naming the class in {@code META-INF/services/dev.psp.spi.ModelExporter}); {@link
 * dev.psp.Psp#export} picks it by {@link #format()}. Discovery must stay cheap: the constructor and
 * {@link #format()} load no native library.
 */
public interface ModelExporter {
  /** The format's name as users type it, lower case: e.g. {@code onnx}. */
  String format();

  /**
   * Writes the model into {@code folder} (which exists) and returns the files written, in order.
   * Each file is written under a temporary name and renamed when complete.
   *
   * @param weights the configuration and the validated state_dict
   * @param info what {@link dev.psp.Psp#inspect} reports on the same checkpoint (file, latent_avg, sizes)
   */
  List<Path> export(ModelWeights weights, ModelInfo info, Path folder) throws IOException;
}
