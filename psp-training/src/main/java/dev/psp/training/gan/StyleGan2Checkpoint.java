package dev.psp.training.gan;

import dev.psp.CheckpointFormatException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import dev.psp.nn.StateDictSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A StyleGAN2 training checkpoint in the layout of rosinality's train.py: {@code {'g', 'd',
 * 'g_ema': state_dicts (no key prefix), 'g_optim', 'd_optim': torch Adam state_dicts, 'args':
 * dict, 'latent_avg': [style_dim]}}. pSp starts from it as from the official StyleGAN2 weights
 * ({@code decoder.load_state_dict(ckpt['g_ema'])}, {@code ckpt['latent_avg']}); training resumes
 * from it exactly.
 *
 * <p>{@code args} holds rosinality's names ({@code size, latent, n_mlp, channel_multiplier, r1,
 * d_reg_every, g_reg_every, mixing, batch, lr}, {@code path_regularize = 0}: not implemented) and
 * the SDK's {@code sdk_width_divisor}, {@code sdk_step}, {@code sdk_seed}, {@code sdk_ema_decay}.
 *
 * @param config the network shape
 * @param options the training options
 * @param step the number of completed training steps
 * @param g the generator's state_dict
 * @param d the discriminator's state_dict
 * @param gEma the averaged generator's state_dict
 * @param gOptim the generator optimizer's state, or null
 * @param dOptim the discriminator optimizer's state, or null
 * @param latentAvg the mean of {@code g_ema.style(z)}, {@code [style_dim]}, or null
 */
public record StyleGan2Checkpoint(StyleGan2Config config, StyleGan2Options options, long step,
    Map<String, TensorData> g, Map<String, TensorData> d, Map<String, TensorData> gEma,
    AdamSnapshot gOptim, AdamSnapshot dOptim, TensorData latentAvg) {

  /** Validates every state_dict against the networks of {@code config}. */
  public StyleGan2Checkpoint {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    g = copy(g, "g");
    d = copy(d, "d");
    gEma = copy(gEma, "g_ema");
    check(config.generator().stateDictSpec(), g, "g");
    check(config.discriminator().stateDictSpec(), d, "d");
    check(config.generator().stateDictSpec(), gEma, "g_ema");
  }

  /**
   * This checkpoint with other options, for a resumed run that changes what may change between
   * runs (the oversampling of its faces).
   */
  public StyleGan2Checkpoint withOptions(StyleGan2Options other) {
    return new StyleGan2Checkpoint(config, other, step, g, d, gEma, gOptim, dOptim, latentAvg);
  }

  private static Map<String, TensorData> copy(Map<String, TensorData> m, String name) {
    Objects.requireNonNull(m, name);
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private static void check(StateDictSpec spec, Map<String, TensorData> sd, String name) {
    List<String> problems = spec.validateTensors(sd);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("'" + name + "' does not fit the network: "
          + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
          + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
  }

  /** The {@code args} dict written with this checkpoint. */
  public Map<String, Object> args() {
    Map<String, Object> a = new LinkedHashMap<>(config.toArgs());
    a.putAll(options.toArgs());
    a.put("sdk_step", step);
    return a;
  }

  /** Writes the checkpoint atomically (see {@link CheckpointWriter}). */
  public void write(Path file) throws IOException {
    List<String> gKeys = parameterKeys(config.generator().stateDictSpec());
    List<String> dKeys = parameterKeys(config.discriminator().stateDictSpec());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("g", new CheckpointWriter.OrderedDict(g));
    root.put("d", new CheckpointWriter.OrderedDict(d));
    root.put("g_ema", new CheckpointWriter.OrderedDict(gEma));
    if (gOptim != null) {
      root.put("g_optim", gOptim.toTorch(gKeys));
    }
    if (dOptim != null) {
      root.put("d_optim", dOptim.toTorch(dKeys));
    }
    root.put("args", args());
    if (latentAvg != null) {
      root.put("latent_avg", latentAvg);
    }
    CheckpointWriter.write(file, root);
  }

  /**
   * Reads a checkpoint written by {@link #write} (or by rosinality's train.py, given {@code args}
   * as a dict or Namespace; optimizer states and {@code latent_avg} are optional).
   *
   * @throws CheckpointFormatException if the file is not a readable torch checkpoint
   * @throws IllegalArgumentException naming the entry that is missing or does not fit
   */
  public static StyleGan2Checkpoint read(Path file) throws CheckpointFormatException {
    try (Checkpoint c = CheckpointReader.read(file)) {
      if (!(c.root() instanceof Map<?, ?> root)) {
        throw new IllegalArgumentException(file + ": the root object is not a dict");
      }
      if (!(root.get("args") instanceof Map<?, ?> args)) {
        throw new IllegalArgumentException(file + ": no 'args' dict; cannot tell the network shape");
      }
      StyleGan2Config config = StyleGan2Config.fromArgs(args);
      StyleGan2Options options = StyleGan2Options.fromArgs(args);
      long step = args.get("sdk_step") instanceof Number n ? n.longValue() : 0;
      List<String> gKeys = parameterKeys(config.generator().stateDictSpec());
      List<String> dKeys = parameterKeys(config.discriminator().stateDictSpec());
      AdamSnapshot gOptim = root.get("g_optim") == null ? null
          : AdamSnapshot.fromTorch(root.get("g_optim"), gKeys, file + ": g_optim");
      AdamSnapshot dOptim = root.get("d_optim") == null ? null
          : AdamSnapshot.fromTorch(root.get("d_optim"), dKeys, file + ": d_optim");
      TensorData avg = null;
      if (root.get("latent_avg") != null) {
        if (!(root.get("latent_avg") instanceof TensorData t)) {
          throw new IllegalArgumentException(file + ": 'latent_avg' is not a tensor");
        }
        avg = t;
      }
      return new StyleGan2Checkpoint(config, options, step, stateDict(root, "g", file),
          stateDict(root, "d", file), stateDict(root, "g_ema", file), gOptim, dOptim, avg);
    }
  }

  private static Map<String, TensorData> stateDict(Map<?, ?> root, String key, Path file) {
    if (!(root.get(key) instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(file + ": no '" + key + "' state_dict");
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorData t)) {
        throw new IllegalArgumentException(file + ": '" + key + "' holds a non-tensor entry "
            + e.getKey());
      }
      out.put(k, t);
    }
    return out;
  }

  /** The parameter keys in {@code module.parameters()} order. */
  static List<String> parameterKeys(StateDictSpec spec) {
    return spec.entries().stream().filter(StateDictSpec.Entry::isParameter)
        .map(StateDictSpec.Entry::key).toList();
  }

  @Override
  public String toString() {
    return "StyleGan2Checkpoint[" + config + ", step " + step + ", " + options + "]";
  }
}
