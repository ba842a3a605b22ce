package dev.psp.cli;

import static dev.psp.cli.PspCliTest.psp;
import static dev.psp.cli.PspCliTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.align.AlignedFace;
import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.LandmarkModel;
import dev.psp.align.PasteBack;
import dev.psp.align.RgbImage;
import dev.psp.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psp align} and {@code --align}/{@code --paste-back}, against the API's own results. */
class AlignCommandTest {
  static final Path FACES = Path.of("..", "psp-align", "src", "test", "resources", "faces");
  @TempDir static Path dir;
  static Path model;
  static PspModel api;
  static FaceAligner aligner;

  @BeforeAll
  static void setUp() throws Exception {
    Path landmarks;
    try {
      landmarks = LandmarkModel.locate(Optional.empty(), Optional.empty());
    } catch (java.nio.file.NoSuchFileException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort(e.getMessage());
      return;
    }
    aligner = FaceAligner.load(landmarks);
    model = TinyModels.write(dir, TranslationTask.INVERSION, 5);
    api = Psp.load(model);
    Path group = Files.createDirectories(dir.resolve("group"));
    for (String f : List.of("2008_001009.png", "dogs.png", "2009_004587.png")) {
      Files.copy(FACES.resolve(f), group.resolve(f));
    }
  }

  @AfterAll
  static void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  private static RgbImage photo(String file) throws Exception {
    return RgbImage.of(read(FACES.resolve(file)));
  }

  @Test
  void alignWritesEveryFaceListsThePhotoWithoutOneAndExitsOne() throws Exception {
    Path out = dir.resolve("aligned");
    Path json = dir.resolve("faces.json");
    PspCliTest.Run r = psp("align", "-i", dir.resolve("group").toString(), "-o", out.toString(), "--face", "all",
        "--landmarks", json.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("aligned 4 face(s) of 3 photos");
    assertThat(r.err()).contains("1 photo(s) skipped:").contains("dogs.png: no face found in");
    RgbImage photo = photo("2008_001009.png");
    List<AlignedFace> want = aligner.align(photo, FaceChoice.all(), "p");
    assertThat(want).hasSize(2);
    for (int j = 0; j < 2; j++) {
      PspCliTest.assertSamePixels(read(out.resolve("2008_001009_face" + j + ".png")), want.get(j).image().toBufferedImage());
    }
    assertThat(out.resolve("2009_004587_face1.png")).exists();
    String text = Files.readString(json);
    assertThat(text).contains("\"faces_found\": 2").contains("\"error\": \"no face found in")
        .contains("\"box\": [126, 206, 215, 295]");
  }

  @Test
  void theOfficialChoiceIsTheLastFace() throws Exception {
    Path out = dir.resolve("official.png");
    PspCliTest.Run r = psp("align", "-i", FACES.resolve("2008_001009.png").toString(), "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    RgbImage photo = photo("2008_001009.png");
    PspCliTest.assertSamePixels(read(out), aligner.align(photo, FaceChoice.last(), "p").get(0).image().toBufferedImage());
  }

  @Test
  void aPhotoWithoutAFaceIsAnErrorNamingIt() {
    PspCliTest.Run r = psp("align", "-i", FACES.resolve("dogs.png").toString(), "-o", dir.resolve("dogs.png").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no face found in").contains("dogs.png");
  }

  @Test
  void aPhotoWithoutAFaceThatViewersTurnSaysSo() throws Exception {
    Path photo = dir.resolve("sideways.jpg");
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB), "jpeg", jpeg);
    byte[] plain = jpeg.toByteArray();
    byte[] app1 = {(byte) 0xff, (byte) 0xe1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, // APP1 of 34 bytes, then TIFF:
        'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, // little-endian, IFD0 at 8 with one entry:
        0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0}; // orientation (SHORT) 8; no next IFD
    java.io.ByteArrayOutputStream withExif = new java.io.ByteArrayOutputStream();
    withExif.write(plain, 0, 2);
    withExif.writeBytes(app1);
    withExif.write(plain, 2, plain.length - 2);
    Files.write(photo, withExif.toByteArray());
    PspCliTest.Run r = psp("align", "-i", photo.toString(), "-o", dir.resolve("sideways.png").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no face found in").contains("EXIF orientation (8)")
        .contains("turned 90° counter-clockwise").contains("mogrify -auto-orient sideways.jpg");
  }

  @Test
  void translateAlignPasteBackIsThePastedApiResult() throws Exception {
    Path out = dir.resolve("pasted.png");
    PspCliTest.Run r = psp("translate", "--model", model.toString(), "--align", "--paste-back",
        "--input", FACES.resolve("2009_004587.png").toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    RgbImage photo = photo("2009_004587.png");
    AlignedFace face = aligner.align(photo, FaceChoice.last(), "p").get(0);
    BufferedImage translated = api.translate(face.image().toBufferedImage());
    RgbImage want = PasteBack.paste(photo, face, RgbImage.of(translated));
    BufferedImage got = read(out);
    PspCliTest.assertSamePixels(got, want.toBufferedImage());
    // away from the face the photo is untouched
    assertThat(got.getRGB(5, 5)).isEqualTo(photo.toBufferedImage().getRGB(5, 5));
  }

  @Test
  void translateAlignAllFacesPastesBothIntoOnePhoto() throws Exception {
    Path out = dir.resolve("both");
    PspCliTest.Run r = psp("translate", "--model", model.toString(), "--align", "--face", "all", "--paste-back",
        "--input", FACES.resolve("2008_001009.png").toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    RgbImage photo = photo("2008_001009.png");
    RgbImage want = photo;
    for (AlignedFace f : aligner.align(photo, FaceChoice.all(), "p")) {
      want = PasteBack.paste(want, f, RgbImage.of(api.translate(f.image().toBufferedImage())));
    }
    PspCliTest.assertSamePixels(read(out.resolve("2008_001009.png")), want.toBufferedImage());
  }

  @Test
  void mixAndInterpolatePasteEveryOutputIntoThePhoto() throws Exception {
    Path mixed = dir.resolve("mixed");
    PspCliTest.Run r = psp("mix", "--model", model.toString(), "--align", "--paste-back", "--samples", "2",
        "--input", FACES.resolve("2009_004587.png").toString(), "--output", mixed.toString());
    assertThat(r.code()).as(r.err()).isZero();
    for (int k = 0; k < 2; k++) {
      BufferedImage img = read(mixed.resolve("2009_004587_mix" + k + ".png"));
      assertThat(img.getWidth()).isEqualTo(400);
      assertThat(img.getHeight()).isEqualTo(500);
    }
    Path frames = dir.resolve("frames");
    r = psp("interpolate", "--model", model.toString(), "--align", "--face", "0", "--paste-back", "--steps", "2",
        "--from", FACES.resolve("2009_004587.png").toString(), "--to", FACES.resolve("2008_001009.png").toString(),
        "--output", frames.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(read(frames.resolve("frame_001.png")).getWidth()).isEqualTo(400);
  }

  @Test
  void encodeAlignsAndRefusesPasteBack() throws Exception {
    Path codes = dir.resolve("codes.npy");
    PspCliTest.Run r = psp("encode", "--model", model.toString(), "--align", "--input", dir.resolve("group").toString(),
        "--output", codes.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1); // dogs.png skipped
    assertThat(dev.psp.io.Npy.read(codes).shape()[0]).isEqualTo(2);
    r = psp("encode", "--model", model.toString(), "--align", "--paste-back", "--input", "x.png", "--output", "c.npy");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--paste-back needs images to paste");
  }

  @Test
  void usageErrorsNameTheOption() {
    PspCliTest.Run r = psp("translate", "--model", "encode", "--paste-back", "--input", "x.png", "--output", "y.png");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--paste-back needs --align");
    r = psp("align", "--input", "x.png", "--output", "y", "--face", "biggest");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--face: face choice must be last, largest, all or a 0-based index");
    r = psp("align", "--input", "x.png", "--output", "y", "--size", "512", "--transform-size", "256");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("raise --transform-size to at least 512");
  }

  @Test
  void alignNeverWritesOverItsInputsAndRefusesTwoPhotosOfOneName() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("in-place"));
    Path tom = Files.copy(FACES.resolve("Tom_Cruise_avp_2014_4.png"), photos.resolve("tom.png"));
    byte[] before = Files.readAllBytes(tom);
    PspCliTest.Run r = psp("align", "--input", photos.toString(), "--output", photos.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is the input");
    r = psp("align", "--input", tom.toString(), "--output", tom.toString());
    assertThat(r.code()).isEqualTo(2);
    r = psp("align", "--input", tom.toString(), "--output", photos.toString()); // would write photos/tom.png
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is the input");
    assertThat(Files.readAllBytes(tom)).isEqualTo(before);

    javax.imageio.ImageIO.write(read(tom), "jpg", photos.resolve("tom.jpg").toFile()); // tom.png's output name
    r = psp("align", "--input", photos.toString(), "--output", dir.resolve("both").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("holds tom.jpg and tom.png, whose outputs would have the same name");
  }

  @Test
  void aMissingLandmarkModelSaysHowToGetIt() {
    PspCliTest.Run r = psp("align", "--input", FACES.resolve("dogs.png").toString(), "--output", dir.resolve("x").toString(),
        "--landmarks-model", dir.resolve("nowhere.dat").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("apt-get install libdlib-data").contains(LandmarkModel.DOWNLOAD_URL);
  }
}
