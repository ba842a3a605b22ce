package dev.psp.training;

import dev.psp.CheckpointFormatException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training checkpoints in the official format: a torch zip {@code .pt} holding {@code state_dict}
 * (an OrderedDict), {@code opts} (a dict) and, when {@code start_from_latent_avg}, {@code latent_avg}
 * ({@code Coach.__get_save_dict}), which the official {@code pSp} class and every SDK engine load.
 *
 * <p>The resume checkpoint ({@code latest.pt}) has one more key the official code ignores, {@code
 * sdk_train_state}: the next step, the best validation loss, the full latent_avg, the optimizer
 * state and, for ReStyle, the average image its first pass reads (decoded once when the run
 * started: with {@code train_decoder} the decoder has moved since). Files are written atomically
 * (temporary file, then rename), so a crash never leaves a broken checkpoint.
 */
public final class TrainingCheckpoint {
  /** The key of the resume state. */
  public static final String TRAIN_STATE = "sdk_train_state";

  private TrainingCheckpoint() {}

  /**
   * What a resume checkpoint restores.
   *
   * @param weights the model
   * @param nextStep the first step still to train
   * @param bestValLoss the best validation loss so far, or null
   * @param optimizer the optimizer state
   * @param opts the options of the run
   * @param averageImage ReStyle's average image, or null (pSp, or a file written before it was kept)
   */
  public record Resume(PspWeights weights, long nextStep, Double bestValLoss,
      Map<String, TensorData> optimizer, Map<String, Object> opts, TensorData averageImage) {}

  /** Writes an official-format checkpoint; {@code latentAvg} may be null. */
  public static void write(Path file, Map<String, TensorData> stateDict, Map<String, Object> opts,
      TensorData latentAvg) throws IOException {
    CheckpointWriter.writePsp(file, stateDict, opts, latentAvg);
  }

  /**
   * Writes a resume checkpoint: the official keys plus {@link #TRAIN_STATE}; {@code averageImage}
   * is ReStyle's, null for pSp.
   */
  public static void writeResume(Path file, Map<String, TensorData> stateDict, Map<String, Object> opts,
      TensorData savedLatentAvg, TensorData latentAvg, long nextStep, Double bestValLoss,
      Map<String, TensorData> optimizer, TensorData averageImage) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("state_dict", new CheckpointWriter.OrderedDict(stateDict));
    root.put("opts", opts);
    if (savedLatentAvg != null) {
      root.put("latent_avg", savedLatentAvg);
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("next_step", nextStep);
    state.put("best_val_loss", bestValLoss);
    state.put("latent_avg", latentAvg);
    state.put("optimizer", new CheckpointWriter.OrderedDict(optimizer));
    if (averageImage != null) {
      state.put("average_image", averageImage);
    }
    root.put(TRAIN_STATE, state);
    CheckpointWriter.write(file, root);
  }

  /** Reads a resume checkpoint written by {@link #writeResume}. */
  public static Resume readResume(Path file) throws CheckpointFormatException {
    try (Checkpoint c = CheckpointReader.read(file)) {
      if (!(c.root() instanceof Map<?, ?> root) || !(root.get(TRAIN_STATE) instanceof Map<?, ?> st)) {
        throw new CheckpointFormatException(file + " has no " + TRAIN_STATE
            + "; only latest.pt checkpoints written by the SDK trainer can resume a run");
      }
      Map<String, TensorData> opt = new LinkedHashMap<>();
      ((Map<?, ?>) st.get("optimizer")).forEach((k, v) -> opt.put(k.toString(), (TensorData) v));
      Object best = st.get("best_val_loss");
      return new Resume(new PspWeights(c.stateDict(), (TensorData) st.get("latent_avg")),
          ((Number) st.get("next_step")).longValue(), best == null ? null : ((Number) best).doubleValue(),
          opt, c.opts(), (TensorData) st.get("average_image"));
    }
  }
}
