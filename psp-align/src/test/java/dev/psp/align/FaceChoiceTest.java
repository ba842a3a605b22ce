package dev.psp.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceChoiceTest {
  private static Face face(long size, double confidence) {
    return new Face(new FaceBox(0, 0, size - 1, size - 1), confidence, Landmarks.of(new long[2 * Landmarks.COUNT]));
  }

  private final List<Face> faces = List.of(face(50, 2.0), face(90, 1.5), face(40, 0.5));

  @Test
  void selectsAsAsked() throws NoFaceException {
    assertThat(FaceChoice.last().select(faces, "p.jpg")).containsExactly(faces.get(2));
    assertThat(FaceChoice.largest().select(faces, "p.jpg")).containsExactly(faces.get(1));
    assertThat(FaceChoice.all().select(faces, "p.jpg")).isEqualTo(faces);
    assertThat(FaceChoice.index(0).select(faces, "p.jpg")).containsExactly(faces.get(0));
  }

  @Test
  void parsesTheCliValues() {
    assertThat(FaceChoice.parse("LAST")).isEqualTo(FaceChoice.last());
    assertThat(FaceChoice.parse(" largest")).isEqualTo(FaceChoice.largest());
    assertThat(FaceChoice.parse("all")).isEqualTo(FaceChoice.all());
    assertThat(FaceChoice.parse("2")).isEqualTo(FaceChoice.index(2));
    assertThatThrownBy(() -> FaceChoice.parse("biggest")).hasMessageContaining("last, largest, all or a 0-based index");
    assertThatThrownBy(() -> FaceChoice.parse("-1")).hasMessageContaining(">= 0");
  }

  @Test
  void noFaceOrAMissingIndexNamesThePhoto() {
    assertThatThrownBy(() -> FaceChoice.last().select(List.of(), "holiday.jpg"))
        .isInstanceOf(NoFaceException.class).hasMessageContaining("no face found in holiday.jpg");
    assertThatThrownBy(() -> FaceChoice.index(3).select(faces, "group.jpg"))
        .isInstanceOf(NoFaceException.class).hasMessageContaining("group.jpg has 3 face(s)");
  }
}
