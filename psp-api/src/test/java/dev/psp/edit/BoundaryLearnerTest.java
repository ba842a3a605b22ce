package dev.psp.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.LatentCode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundaryLearnerTest {
  /** Codes whose label is decided by the sign of (x - center) . normal, with a margin. */
  private static LatentCode[] labelled(float[] normal, int n, int rows, long seed) {
    Random r = new Random(seed);
    int dim = normal.length;
    java.util.List<LatentCode> pos = new java.util.ArrayList<>();
    java.util.List<LatentCode> neg = new java.util.ArrayList<>();
    while (pos.size() < n || neg.size() < n) {
      float[] v = new float[rows * dim];
      double proj = 0;
      double[] w = new double[dim];
      for (int k = 0; k < dim; k++) {
        w[k] = r.nextGaussian();
        proj += w[k] * normal[k];
      }
      if (Math.abs(proj - 0.3) < 0.2) {
        continue; // a margin around the boundary, which does not pass through the origin
      }
      for (int row = 0; row < rows; row++) {
        for (int k = 0; k < dim; k++) {
          v[row * dim + k] = (float) (w[k] + 0.01 * r.nextGaussian());
        }
      }
      LatentCode c = LatentCode.of(v, 1, rows, dim);
      if (proj > 0.3 && pos.size() < n) {
        pos.add(c);
      } else if (proj < 0.3 && neg.size() < n) {
        neg.add(c);
      }
    }
    return new LatentCode[] {LatentCode.concat(pos), LatentCode.concat(neg)};
  }

  @Test
  void recoversTheNormalOfASeparableSetPointingToThePositives() {
    int dim = 16;
    float[] normal = new float[dim];
    normal[2] = 0.6f;
    normal[7] = -0.8f;
    LatentCode[] sets = labelled(normal, 200, 3, 1);
    BoundaryLearner.Boundary b = BoundaryLearner.interFaceGan().learn(sets[0], sets[1]);
    float[] d = b.direction().values();
    double cos = 0;
    for (int k = 0; k < dim; k++) {
      cos += d[k] * normal[k];
    }
    assertThat(b.direction().rows()).isEqualTo(1);
    assertThat(cos).isGreaterThan(0.97);
    assertThat(b.trainingAccuracy()).isEqualTo(1.0);
    // swapping the sets flips the direction
    float[] flipped = BoundaryLearner.interFaceGan().learn(sets[1], sets[0]).direction().values();
    assertThat(flipped[7]).isPositive();
    // deterministic
    assertThat(BoundaryLearner.interFaceGan().learn(sets[0], sets[1]).direction().values()).containsExactly(d);
  }

  @Test
  void learnsOneRowPerWPlusRowInThatSpace() {
    float[] normal = new float[8];
    normal[0] = 1;
    LatentCode[] sets = labelled(normal, 50, 4, 2);
    BoundaryLearner.Boundary b = new BoundaryLearner(BoundaryLearner.Space.W_PLUS, 1, 0).learn(sets[0], sets[1]);
    assertThat(b.direction().rows()).isEqualTo(4);
    assertThat(b.trainingAccuracy()).isEqualTo(1.0);
  }

  @Test
  void refusesEmptySetsAndBadPenalties() {
    LatentCode one = LatentCode.of(new float[4], 1, 1, 4);
    LatentCode other = LatentCode.of(new float[8], 1, 2, 4);
    assertThatThrownBy(() -> BoundaryLearner.interFaceGan().learn(one, other)).hasMessageContaining("different shapes");
    assertThatThrownBy(() -> new BoundaryLearner(BoundaryLearner.Space.W, 0, 0)).hasMessageContaining("C must be");
    assertThatThrownBy(() -> BoundaryLearner.interFaceGan().learn(one, one)).hasMessageContaining("cannot be told apart");
  }
}
