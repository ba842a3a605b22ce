package dev.psp.training;

import java.util.Map;

/** Receives progress of a training run, e.g. to draw a progress bar. */
public interface TrainingListener {

  /**
   * Called after each training step.
   *
   * @param step the step just trained (0-based)
   * @param lastStep the last step of the run
   * @param losses the step's loss values under the official names
   * @param secondsPerStep the mean wall time of the recent steps
   */
  void onStep(long step, long lastStep, Map<String, Double> losses, double secondsPerStep);

  /** Called after each validation with the mean loss values over the test set. */
  default void onValidation(long step, Map<String, Double> metrics) {
  }

  /** A listener that ignores everything. */
  static TrainingListener silent() {
    return (step, last, losses, sps) -> { };
  }
}
