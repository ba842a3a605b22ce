package dev.psp.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psp.LatentCode;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import dev.psp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanSpaceTest {
  private final GanSpace pca;

  GanSpaceTest() throws Exception {
    pca = GanSpace.read(Fixtures.path("families/e4e_s32/pca.pt")); // torch.save of {'comp','mean','std'}
  }

  private static LatentCode randomCode(int batch, int rows, int dim) {
    Random r = new Random(5);
    float[] v = new float[batch * rows * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return LatentCode.of(v, batch, rows, dim);
  }

  @Test
  void anEditOfRowZeroSetsItsCoordinateToTheStrength() {
    assertThat(pca.components()).isEqualTo(8);
    LatentCode c = randomCode(2, 8, pca.dim());
    LatentCode e = pca.edit(c, 3, 0, 4, 2.5);
    for (int b = 0; b < 2; b++) {
      assertThat(pca.coordinate(c, b, 3)).isNotCloseTo(2.5f, within(0.1f));
      assertThat(pca.coordinate(e, b, 3)).isCloseTo(2.5f, within(1e-5f));
      assertThat(e.row(b, 5)).containsExactly(c.row(b, 5));
    }
  }

  @Test
  void namesBadComponentsRowsAndDimensions() {
    LatentCode c = randomCode(1, 8, pca.dim());
    assertThatThrownBy(() -> pca.edit(c, 8, 0, 1, 1)).hasMessageContaining("component 8");
    assertThatThrownBy(() -> pca.edit(c, 0, 3, 9, 1)).hasMessageContaining("rows [3, 9)");
    assertThatThrownBy(() -> pca.edit(randomCode(1, 8, 5), 0, 0, 1, 1)).hasMessageContaining("dimension");
  }

  @Test
  void refusesFilesWhoseStdWouldDivideByZeroOrWhoseMeanIsAScalar(@TempDir Path dir) throws Exception {
    Path zeroStd = dir.resolve("zero_std.pt");
    CheckpointWriter.write(zeroStd, Map.of("mean", TensorData.ofFloats(new float[4], 1, 4),
        "comp", TensorData.ofFloats(new float[8], 2, 1, 4), "std", TensorData.ofFloats(new float[] {1, 0}, 2)));
    assertThatThrownBy(() -> GanSpace.read(zeroStd)).isInstanceOf(IOException.class)
        .hasMessageContaining("std[1] is 0.0").hasMessageContaining("positive and finite");
    Path scalar = dir.resolve("scalar.pt");
    CheckpointWriter.write(scalar, Map.of("mean", TensorData.ofFloats(new float[] {0}),
        "comp", TensorData.ofFloats(new float[4], 1, 1, 4), "std", TensorData.ofFloats(new float[] {1}, 1)));
    assertThatThrownBy(() -> GanSpace.read(scalar)).isInstanceOf(IOException.class).hasMessageContaining("scalar");
  }
}
