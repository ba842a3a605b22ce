package dev.psp.synthetic;

import static dev.psp.synthetic.FaceRendererTest.bytes;
import static dev.psp.synthetic.FaceRendererTest.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Pose changes and the derived versions of a face: frontal, low resolution, masked, label PNG. */
class SyntheticFaceTest {
  private static final long SEED = 77L;

  @Test
  void withPoseKeepsTheIdentityAndValidatesThePose() {
    FaceParams p = SyntheticFaces.params(SEED, 0);
    FaceParams turned = p.withPose(0.7, -0.2);
    assertThat(turned.yaw()).isEqualTo(0.7);
    assertThat(turned.tilt()).isEqualTo(-0.2);
    assertThat(turned.withPose(p.yaw(), p.tilt())).isEqualTo(p);
    assertThat(turned.frontal()).isEqualTo(p.withPose(0, 0));
    assertThatThrownBy(() -> p.withPose(1.5, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("yaw");
    assertThatThrownBy(() -> p.withPose(0, 0.6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tilt");
  }

  @Test
  void randomPosesCoverTheDocumentedRanges() {
    double maxYaw = 0;
    double maxTilt = 0;
    for (int i = 0; i < 200; i++) {
      FaceParams p = SyntheticFaces.params(SEED, i);
      assertThat(p.yaw()).isBetween(-1.0, 1.0);
      assertThat(p.tilt()).isBetween(-0.25, 0.25);
      maxYaw = Math.max(maxYaw, Math.abs(p.yaw()));
      maxTilt = Math.max(maxTilt, Math.abs(p.tilt()));
    }
    assertThat(maxYaw).isGreaterThan(0.7);
    assertThat(maxTilt).isGreaterThan(0.15);
  }

  @Test
  void frontalIsTheSameFaceUnturned() {
    SyntheticFace turned = FaceRenderer.render(SyntheticFaces.params(SEED, 1).withPose(0.8, 0.2), 64);
    SyntheticFace frontal = turned.frontal();
    assertThat(frontal.params().yaw()).isZero();
    assertThat(frontal.params().tilt()).isZero();
    assertThat(frontal.params()).isEqualTo(turned.params().withPose(0, 0));
    assertThat(frontal.size()).isEqualTo(64);
    assertThat(frontal.labels()).isNotEqualTo(turned.labels());
    assertThat(pixels(frontal.frontal().image())).isEqualTo(pixels(frontal.image()));
  }

  @Test
  void lowResolutionKeepsTheSizeAndLosesDetail() {
    SyntheticFace face = SyntheticFaces.sample(SEED, 2, 64);
    assertThat(pixels(face.lowRes(1))).isEqualTo(pixels(face.image()));
    double sharp = variation(face.image());
    double previous = sharp;
    for (int factor : new int[] {2, 4, 8}) {
      BufferedImage low = face.lowRes(factor);
      assertThat(low.getWidth()).isEqualTo(64);
      double v = variation(low);
      System.out.printf("lowRes(%d): mean |horizontal step| %.2f (sharp %.2f)%n", factor, v, sharp);
      assertThat(v).isLessThan(previous);
      previous = v;
    }
    assertThatThrownBy(() -> face.lowRes(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maskedHidesRegionsDeterministically() {
    SyntheticFace face = SyntheticFaces.sample(SEED, 3, 64);
    int[] original = pixels(face.image());
    for (long seed = 0; seed < 10; seed++) {
      MaskedFace m = face.masked(seed);
      int[] hidden = pixels(m.image());
      byte[] mask = bytes(m.mask());
      int count = 0;
      for (int i = 0; i < hidden.length; i++) {
        int expected = mask[i] != 0 ? MaskedFace.FILL : original[i] & 0xffffff;
        assertThat(hidden[i] & 0xffffff).isEqualTo(expected);
        assertThat(mask[i] & 0xff).isIn(0, 255);
        count += mask[i] != 0 ? 1 : 0;
      }
      assertThat(count / (double) hidden.length).isBetween(0.005, 0.6);
      assertThat(pixels(face.masked(seed).image())).isEqualTo(hidden);
    }
    assertThat(bytes(face.masked(1).mask())).isNotEqualTo(bytes(face.masked(2).mask()));
  }

  /** The label image survives PNG as gray values equal to the class ids (CelebAMask-HQ format). */
  @Test
  void labelAndSketchImagesRoundTripThroughPng() throws IOException {
    SyntheticFace face = SyntheticFaces.sample(SEED, 4, 64);
    assertThat(bytes(readPng(face.labelImage()))).isEqualTo(face.labels());
    assertThat(bytes(readPng(face.sketch()))).isEqualTo(bytes(face.sketch()));
    assertThat(pixels(readPng(face.image()))).isEqualTo(pixels(face.image()));
  }

  @Test
  void colouredLabelsUseThePspPalette() {
    SyntheticFace face = SyntheticFaces.sample(SEED, 5, 32);
    int[] c = pixels(face.colouredLabels());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertThat(c[y * 32 + x] & 0xffffff).isEqualTo(FaceLabels.colour(face.label(x, y)));
      }
    }
    assertThat(FaceLabels.colour(FaceLabels.SKIN)).isEqualTo(0xcc0000);
    assertThat(FaceLabels.name(FaceLabels.EYE_GLASSES)).isEqualTo("eye_g");
    assertThatThrownBy(() -> FaceLabels.name(19)).isInstanceOf(IllegalArgumentException.class);
  }

  private static BufferedImage readPng(BufferedImage im) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(im, "png", out)).isTrue();
    return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
  }

  /** Mean absolute difference between horizontally adjacent pixels, over R, G and B. */
  private static double variation(BufferedImage im) {
    int[] p = pixels(im);
    int w = im.getWidth();
    long sum = 0;
    for (int i = 0; i < p.length; i++) {
      if (i % w + 1 < w) {
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p[i] >> shift) & 0xff) - ((p[i + 1] >> shift) & 0xff));
        }
      }
    }
    return sum / (3.0 * p.length);
  }
}
