package dev.psp.training.optim;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Adam} follows {@code torch.optim.Adam} of PyTorch 1.13 step by step. */
class AdamTest {

  @Test
  void followsTheOfficialTrajectory() {
    try (NDManager root = PyTorchEngine.djl().newBaseManager()) {
      ReferenceProblem problem = new ReferenceProblem(root);
      Map<String, NDArray> params = problem.initialParams();
      try (Adam adam = new Adam(params, ReferenceProblem.LEARNING_RATE)) {
        int done = 0;
        for (int t : ReferenceProblem.RECORDED) {
          problem.train(adam, params, done, t);
          done = t;
          assertThat(adam.steps()).isEqualTo(t);
          ReferenceProblem.assertClose(params, ReferenceProblem.reference("adam", t), 1e-6,
              "Adam step " + t);
        }
      }
    }
  }
}
