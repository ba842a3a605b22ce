package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectionTest {
  private static LatentCode code() {
    float[] v = new float[2 * 3 * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5f;
    }
    return LatentCode.of(v, 2, 3, 4);
  }

  @Test
  void aOneRowDirectionMovesEveryChosenRowOfEverySample() {
    Direction d = Direction.of(new float[] {1, 0, -2, 0.25f}, 1, 4);
    LatentCode e = code().edit(d, 2.0, 1, 3);
    for (int b = 0; b < 2; b++) {
      assertThat(e.row(b, 0)).containsExactly(code().row(b, 0));
      for (int r = 1; r < 3; r++) {
        float[] o = code().row(b, r);
        assertThat(e.row(b, r)).containsExactly(o[0] + 2, o[1], o[2] - 4, o[3] + 0.5f);
      }
    }
  }

  @Test
  void aPerRowDirectionMovesEachRowByItsOwnVector() {
    float[] v = new float[12];
    v[4] = 1; // row 1, first entry only
    LatentCode e = code().edit(Direction.of(v, 3, 4), -1.5);
    assertThat(e.row(1, 1)[0]).isEqualTo(code().row(1, 1)[0] - 1.5f);
    assertThat(e.row(1, 0)).containsExactly(code().row(1, 0));
    assertThat(e.row(1, 2)).containsExactly(code().row(1, 2));
  }

  @Test
  void readsNpyAndTorchFilesOfEveryAcceptedShape(@TempDir Path dir) throws Exception {
    Npy.write(dir.resolve("w.npy"), TensorData.ofFloats(new float[] {3, 4}, 1, 1, 2));
    Direction d = Direction.read(dir.resolve("w.npy"));
    assertThat(d.rows()).isEqualTo(1);
    assertThat(d.normalized().values()).containsExactly(0.6f, 0.8f);
    // the official InterFaceGAN format: torch.save of a [1, dim] tensor (the e4e family fixture's direction.pt)
    Direction pt = Direction.read(dev.psp.testing.Fixtures.path("families/e4e_s32/direction.pt"));
    assertThat(pt.rows()).isEqualTo(1);
    assertThat(pt.dim()).isEqualTo(16);
  }

  @Test
  void refusesWrongShapesDimensionsRowsAndNonFiniteValues(@TempDir Path dir) throws IOException {
    Npy.write(dir.resolve("bad.npy"), TensorData.ofFloats(new float[8], 2, 2, 2));
    assertThatThrownBy(() -> Direction.read(dir.resolve("bad.npy"))).isInstanceOf(IOException.class)
        .hasMessageContaining("[2, 2, 2]");
    assertThatThrownBy(() -> Direction.read(dir.resolve("missing.npy"))).hasMessageContaining("no direction file");
    Npy.write(dir.resolve("int.npy"), TensorData.ofLongs(new long[] {1, 0, 0, 0, 0}, 5));
    assertThatThrownBy(() -> Direction.read(dir.resolve("int.npy"))).isInstanceOf(IOException.class)
        .hasMessageContaining("float32 or float64, got int64");
    assertThatThrownBy(() -> Direction.of(new float[] {Float.NaN}, 1, 1)).hasMessageContaining("finite");
    Direction d = Direction.of(new float[5], 1, 5);
    assertThatThrownBy(() -> code().edit(d, 1)).hasMessageContaining("dimension 5");
    Direction rows2 = Direction.of(new float[8], 2, 4);
    assertThatThrownBy(() -> code().edit(rows2, 1)).hasMessageContaining("2 rows");
    Direction ok = Direction.of(new float[4], 1, 4);
    assertThatThrownBy(() -> code().edit(ok, 1, 2, 5)).hasMessageContaining("rows [2, 5)");
    assertThatThrownBy(() -> code().edit(ok, Double.NaN)).hasMessageContaining("finite");
  }
}
