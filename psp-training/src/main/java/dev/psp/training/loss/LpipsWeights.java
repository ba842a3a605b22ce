package dev.psp.training.loss;

import dev.psp.CheckpointFormatException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of an {@link Lpips} network under the official LPIPS module keys, assembled the way
 * the official code does: the backbone from a torchvision state_dict ({@code features.{i}.weight/bias}
 * become {@code net.layers.{i}.*}; other keys such as {@code classifier.*} are ignored), the linear
 * heads from the PerceptualSimilarity v0.1 file ({@code lin{i}.model.1.weight}, renamed as
 * criteria/lpips/utils.get_state_dict does — every {@code "lin"} and {@code "model."} removed — to
 * {@code {i}.1.weight} under {@code lin.}), and the fixed scaling-layer buffers {@code net.mean},
 * {@code net.std}. Stateless and thread-safe.
 */
public final class LpipsWeights {
  private LpipsWeights() {}

  /**
   * Reads both files (e.g. torchvision's {@code alexnet-owt-7be5be79.pth} and PerceptualSimilarity's
   * {@code weights/v0.1/alex.pth}) with the pure-Java checkpoint reader.
   *
   * @throws CheckpointFormatException if a file cannot be read as a state_dict
   */
  public static Map<String, TensorData> load(Path torchvisionStateDict, Path linWeights)
      throws CheckpointFormatException {
    try (Checkpoint tv = CheckpointReader.read(torchvisionStateDict);
        Checkpoint lin = CheckpointReader.read(linWeights)) {
      return assemble(tv.stateDict(), lin.stateDict());
    }
  }

  /** The LPIPS keys from the two state_dicts already in memory. */
  public static Map<String, TensorData> assemble(Map<String, TensorData> torchvision,
      Map<String, TensorData> lin) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    out.put("net.mean", TensorData.ofFloats(Lpips.MEAN, 1, 3, 1, 1));
    out.put("net.std", TensorData.ofFloats(Lpips.STD, 1, 3, 1, 1));
    torchvision.forEach((k, v) -> {
      if (k.startsWith("features.")) {
        out.put("net.layers." + k.substring("features.".length()), v);
      }
    });
    lin.forEach((k, v) -> out.put("lin." + k.replace("lin", "").replace("model.", ""), v));
    return out;
  }
}
