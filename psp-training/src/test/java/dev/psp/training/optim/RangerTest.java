package dev.psp.training.optim;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Ranger} follows the official training/ranger.py step by step. */
class RangerTest {

  @Test
  void followsTheOfficialTrajectory() {
    try (NDManager root = PyTorchEngine.djl().newBaseManager()) {
      ReferenceProblem problem = new ReferenceProblem(root);
      Map<String, NDArray> params = problem.initialParams();
      try (Ranger ranger = new Ranger(params, ReferenceProblem.LEARNING_RATE)) {
        int done = 0;
        for (int t : ReferenceProblem.RECORDED) {
          problem.train(ranger, params, done, t);
          done = t;
          assertThat(ranger.steps()).isEqualTo(t);
          ReferenceProblem.assertClose(params, ReferenceProblem.reference("ranger", t), 1e-6,
              "Ranger step " + t);
        }
      }
    }
  }
}
