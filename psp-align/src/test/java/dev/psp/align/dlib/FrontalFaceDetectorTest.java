package dev.psp.align.dlib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.align.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrontalFaceDetectorTest {
  private static FrontalFaceDetector parallel;
  private static FrontalFaceDetector sequential;

  @BeforeAll
  static void load() {
    parallel = FrontalFaceDetector.load(true);
    sequential = FrontalFaceDetector.load(false);
  }

  static List<DlibReference.Photo> photos() {
    return DlibReference.photos();
  }

  @Test
  void theSweepHoldsNoFaceSeveralFacesAndProfiles() {
    List<DlibReference.Photo> all = photos();
    assertThat(all).anyMatch(p -> p.faces().isEmpty());
    assertThat(all).anyMatch(p -> p.faces().size() >= 5);
    assertThat(all).anyMatch(p -> p.faces().stream().anyMatch(f -> f.weightIndex() != 0));
    assertThat(all).anyMatch(p -> p.faces().stream().anyMatch(f -> f.box().right() >= p.width()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("photos")
  void findsExactlyWhatDlibFinds(DlibReference.Photo photo) {
    RgbImage image = photo.image();
    for (FrontalFaceDetector detector : List.of(parallel, sequential)) {
      List<Detection> found = detector.detect(image, 1);
      assertThat(found).hasSameSizeAs(photo.faces());
      for (int i = 0; i < found.size(); i++) {
        DlibReference.Face want = photo.faces().get(i);
        assertThat(found.get(i).box()).as("box %d", i).isEqualTo(want.box());
        assertThat(found.get(i).weightIndex()).as("filter of box %d", i).isEqualTo(want.weightIndex());
        // dlib prints scores with 17 digits: equal doubles, the whole float pipeline reproduced
        assertThat(found.get(i).confidence()).as("score of box %d", i).isEqualTo(want.score());
      }
    }
  }

  @Test
  void withoutUpsamplingOnlyLargeFacesAreFound() {
    DlibReference.Photo small = photos().stream().filter(p -> p.file().startsWith("2007_007763")).findFirst().orElseThrow();
    assertThat(small.faces()).hasSizeGreaterThan(5);
    assertThat(parallel.detect(small.image(), 0)).isEmpty();
  }

  @Test
  void rejectsAnUpsampleOutOfRange() {
    RgbImage image = photos().get(0).image();
    assertThatThrownBy(() -> parallel.detect(image, -1)).hasMessageContaining("upsample must be 0..4, got -1");
  }

  @Test
  void orientationTableAgreesWithTheDotProductsEverywhere() {
    for (int dy = -255; dy <= 255; dy++) {
      for (int dx = -255; dx <= 255; dx++) {
        assertThat(OrientationBins.TABLE[OrientationBins.index(dx, dy)]).isEqualTo((byte) OrientationBins.bin(dx, dy));
      }
    }
    // a few bins by geometry: right, down, left, up (y grows downwards)
    assertThat(OrientationBins.bin(10, 0)).isEqualTo(0);
    assertThat(OrientationBins.bin(0, 10)).isEqualTo(4);
    assertThat(OrientationBins.bin(-10, 0)).isEqualTo(9);
    assertThat(OrientationBins.bin(0, -10)).isEqualTo(13);
    assertThat(OrientationBins.bin(0, 0)).isEqualTo(0);
  }

  @Test
  void truncatedOrPaddedDetectorDataIsRejectedWithTheOffset() throws IOException {
    byte[] bytes;
    try (InputStream in = FrontalFaceDetector.class.getResourceAsStream("frontal_face_detector.dat")) {
      bytes = in.readAllBytes();
    }
    byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> FrontalFaceDetector.read(ByteBuffer.wrap(cut), "cut.dat", false))
        .isInstanceOf(DlibFormatException.class).hasMessageContaining("cut.dat");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(() -> FrontalFaceDetector.read(ByteBuffer.wrap(longer), "longer.dat", false))
        .isInstanceOf(DlibFormatException.class).hasMessageContaining("unexpected data after the detector");
    byte[] other = bytes.clone();
    other[1] = 3;
    assertThatThrownBy(() -> FrontalFaceDetector.read(ByteBuffer.wrap(other), "other.dat", false))
        .isInstanceOf(DlibFormatException.class).hasMessageContaining("object_detector version is 3, expected 2");
  }
}
