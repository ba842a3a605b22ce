package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psp.io.TensorData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentCodeTest {
  /** Values v[b][i][k] = 100 b + 10 i + k, shape [2, 3, 4]. */
  private static LatentCode ramp() {
    float[] v = new float[24];
    for (int b = 0; b < 2; b++) {
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 4; k++) {
          v[(b * 3 + i) * 4 + k] = 100 * b + 10 * i + k;
        }
      }
    }
    return LatentCode.of(v, 2, 3, 4);
  }

  private static LatentCode constant(float c, int batch) {
    float[] v = new float[batch * 12];
    java.util.Arrays.fill(v, c);
    return LatentCode.of(v, batch, 3, 4);
  }

  @Test
  void rowsAndSamplesIndexTheRightValues() {
    LatentCode c = ramp();
    assertThat(c.row(1, 2)).containsExactly(120, 121, 122, 123);
    assertThat(c.sample(1).row(0, 0)).containsExactly(100, 101, 102, 103);
    assertThatThrownBy(() -> c.row(2, 0)).hasMessageContaining("sample 2 is outside [0, 2)");
    assertThat(c.slice(1, 2).values()).containsExactly(c.sample(1).values());
    assertThat(c.slice(0, 2).values()).containsExactly(c.values());
    assertThatThrownBy(() -> c.slice(1, 3)).hasMessageContaining("samples 1..3 of a batch of 2");
  }

  @Test
  void arithmeticBroadcastsABatchOfOne() {
    LatentCode c = ramp();
    LatentCode sum = c.add(constant(0.5f, 1));
    assertThat(sum.row(1, 1)).containsExactly(110.5f, 111.5f, 112.5f, 113.5f);
    assertThat(sum.subtract(constant(0.5f, 1))).isEqualTo(c);
    assertThat(c.scale(2).row(0, 2)).containsExactly(40, 42, 44, 46);
    assertThatThrownBy(() -> c.add(constant(1, 3))).hasMessageContaining("batch 2 or 1, got 3");
  }

  @Test
  void interpolationHitsBothEnds() {
    LatentCode a = ramp();
    LatentCode b = constant(1000, 2);
    assertThat(a.interpolate(b, 0)).isEqualTo(a);
    assertThat(a.interpolate(b, 1)).isEqualTo(b);
    assertThat(a.interpolate(b, 0.25).row(1, 2)[3]).isCloseTo(0.75f * 123 + 0.25f * 1000, within(1e-3f));
  }

  @Test
  void mixRowsFollowsTheOfficialRule() {
    LatentCode codes = ramp();
    LatentCode inject = constant(-1, 1);
    LatentCode mixed = codes.mixRows(inject, new int[] {1, 2}, 0.25);
    assertThat(mixed.row(0, 0)).containsExactly(codes.row(0, 0));
    assertThat(mixed.row(1, 2)[1]).isCloseTo(0.25f * -1 + 0.75f * 121, within(1e-4f));
    assertThat(codes.replaceRows(inject, new int[] {0}).row(1, 0)).containsExactly(-1, -1, -1, -1);
    assertThatThrownBy(() -> codes.mixRows(inject, new int[] {3}, 1)).hasMessageContaining("row 3");
  }

  @Test
  void twoDimensionalWIsRepeatedOverRows() {
    LatentCode c = LatentCode.fromTensor(TensorData.ofFloats(new float[] {1, 2, 3, 4}, 2, 2), 3);
    assertThat(c.nStyles()).isEqualTo(3);
    assertThat(c.row(1, 2)).containsExactly(3, 4);
    assertThatThrownBy(() -> LatentCode.fromTensor(TensorData.ofFloats(new float[4], 4), 3))
        .hasMessageContaining("got [4]");
  }

  @Test
  void concatStacksBatches() {
    LatentCode c = LatentCode.concat(List.of(ramp().sample(1), ramp()));
    assertThat(c.batchSize()).isEqualTo(3);
    assertThat(c.row(0, 0)[0]).isEqualTo(100);
    assertThat(c.row(2, 0)[0]).isEqualTo(100);
  }

  @Test
  void saveAndLoadRoundTripAsNpy(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("codes.npy");
    ramp().save(f);
    assertThat(LatentCode.load(f)).isEqualTo(ramp());
    assertThat(java.nio.file.Files.size(f)).isEqualTo(128 + 24 * 4);
  }

  @Test
  void badShapesAreRejectedWithTheShape() {
    assertThatThrownBy(() -> LatentCode.of(new float[5], 1, 2, 3)).hasMessageContaining("needs 6");
    assertThatThrownBy(() -> LatentCode.fromTensor(TensorData.ofFloats(new float[0], 0, 18, 512), 0))
        .hasMessageContaining("shape must be positive, got [0, 18, 512]");
    assertThatThrownBy(() -> LatentCode.fromTensor(TensorData.ofFloats(new float[0], 1, 0), 4))
        .hasMessageContaining("positive shape");
    assertThatThrownBy(() -> LatentCode.fromTensor(TensorData.ofFloats(new float[0], 1, 0, 1L << 32), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    assertThatThrownBy(() -> LatentCode.repeatW(new float[512], 1, 1 << 23, 512))
        .hasMessageContaining("at most 2147483647 floats");
  }
}
