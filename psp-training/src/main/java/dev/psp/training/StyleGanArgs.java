package dev.psp.training;

import dev.psp.PspException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.StorageMode;
import dev.psp.training.gan.StyleGan2Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training options a StyleGAN2 checkpoint decides by itself: a checkpoint written by rosinality's
 * {@code train.py} or by {@code psp train-stylegan} carries {@code args} with its output size, width
 * and mapping depth, and the pSp decoder must have the same. {@link #apply} fills {@code output_size},
 * {@code sdk_width_divisor} and {@code sdk_n_mlp} from them when the user left them unset, and refuses
 * values that contradict them, naming the option that fixes it. Official StyleGAN2 files converted
 * with {@code convert_weight.py} hold only {@code g_ema} and {@code latent_avg}: nothing to read.
 */
public final class StyleGanArgs {
  private StyleGanArgs() {}

  /**
   * {@code values} completed from the args of {@code stylegan_weights} (when it is set, the file
   * exists and has args, and no {@code checkpoint_path} replaces it).
   *
   * @throws IllegalArgumentException if a set value contradicts the file, saying which option to change
   */
  public static Map<String, Object> apply(Map<String, Object> values) throws PspException {
    Object gan = values.get("stylegan_weights");
    if (gan == null || values.get("checkpoint_path") != null || !Files.isRegularFile(Path.of(gan.toString()))) {
      return values;
    }
    StyleGan2Config c;
    try (Checkpoint ckpt = CheckpointReader.read(Path.of(gan.toString()), StorageMode.MMAP)) {
      if (!(ckpt.get("args").orElse(null) instanceof Map<?, ?> args)) {
        return values;
      }
      c = StyleGan2Config.fromArgs(args);
    }
    Map<String, Object> out = new LinkedHashMap<>(values);
    String describe = gan + " holds a " + c.size() + "-px generator with width divisor " + c.widthDivisor() + " and "
        + c.nMlp() + " mapping layers (its args)";
    fill(out, "output_size", c.size(), null, describe);
    fill(out, "sdk_width_divisor", c.widthDivisor(), 1L, describe); // sdk_* keys only where not official
    fill(out, "sdk_n_mlp", c.nMlp(), 8L, describe);
    return out;
  }

  /**
   * Sets {@code key} to the file's value when unset (unless that is {@code official}, the value an
   * absent key means); refuses a set value that differs.
   */
  private static void fill(Map<String, Object> out, String key, long fromFile, Long official, String describe) {
    Object set = out.get(key);
    if (set == null) {
      if (official == null || fromFile != official) {
        out.put(key, fromFile);
      }
    } else if (!(set instanceof Number n) || n.longValue() != fromFile) {
      throw new IllegalArgumentException(describe + ", but " + key + "=" + set + " was set: use -s " + key + "="
          + fromFile + ", or leave " + key + " unset to take it from the file");
    }
  }
}
