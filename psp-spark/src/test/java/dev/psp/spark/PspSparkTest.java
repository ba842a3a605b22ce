package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.image.ImageConversion;
import dev.psp.io.TensorData;
import dev.psp.testing.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Java API, {@link PspSpark#transform}, on a few images read with Spark's binaryFile source. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PspSparkTest {
  private Path input;
  private SparkSession spark;
  private PspModel library;

  @BeforeAll
  void prepare(@TempDir Path dir) throws Exception {
    input = dir.resolve("in");
    SparkTesting.writeFaces(input, 500, 6);
    Files.writeString(input.resolve("broken.png"), "not an image");
    spark = SparkTesting.spark();
    library = Psp.load("encode");
  }

  @AfterAll
  void close() {
    library.close();
  }

  private Map<String, Row> byName(Dataset<Row> out) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : out.collectAsList()) {
      rows.put(r.getAs("name"), r);
    }
    return rows;
  }

  @Test
  void binaryFileRowsBecomeImagesCodesOrErrors() throws IOException {
    Dataset<Row> images = PspSpark.readImages(spark, input.toString(), false);
    Dataset<Row> out = PspSpark.transform(PspSpark.withOutputNames(images),
        PspSparkOptions.of("encode").optCodes(true).optBatchSize(4));
    assertThat(out.schema()).isEqualTo(PspSpark.OUTPUT_SCHEMA);
    Map<String, Row> rows = byName(out);
    assertThat(rows).hasSize(7);
    Row broken = rows.get("broken");
    assertThat((String) broken.getAs("error")).contains("broken.png is not an image of an accepted format");
    assertThat(broken.<Object>getAs("image")).isNull();
    assertThatThrownBy(() -> PspSpark.toLatentCode(broken)).hasMessageContaining("has no code")
        .hasMessageContaining("is not an image of an accepted format");

    Row face = rows.get("face0502");
    assertThat(face.<Object>getAs("error")).isNull();
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(face.getAs("image")));
    BufferedImage source = ImageIO.read(input.resolve("face0502.png").toFile());
    BufferedImage want = library.translate(source);
    assertThat(Images.maxDifference(png, want)).isLessThanOrEqualTo(1);
    LatentCode code = PspSpark.toLatentCode(face);
    assertThat(code.batchSize()).isEqualTo(1);
    assertThat(code.nStyles()).isEqualTo(library.config().nStyles());
    float[] a = code.values();
    float[] b = library.encoder().encode(source).values();
    for (int i = 0; i < a.length; i++) {
      assertThat(Math.abs(a[i] - b[i])).isLessThanOrEqualTo(1e-5f * (1 + Math.abs(b[i])));
    }
  }

  @Test
  void aColumnOfPathsIsReadByTheExecutorsAndNamedAfterTheFiles() {
    Dataset<Row> paths = spark.createDataset(List.of(input.resolve("face0500.png").toUri().toString(),
        input.resolve("face0501.png").toString()), org.apache.spark.sql.Encoders.STRING()).toDF("file");
    Dataset<Row> out = PspSpark.transform(paths, PspSparkOptions.of("encode").optPathColumn("file").optImages(false)
        .optCodes(true));
    Map<String, Row> rows = byName(out);
    assertThat(rows).containsOnlyKeys("face0500", "face0501");
    assertThat(rows.get("face0501").<Object>getAs("image")).isNull();
    assertThat(PspSpark.toLatentCode(rows.get("face0501")).nStyles()).isEqualTo(library.config().nStyles());
  }

  @Test
  void randomNoiseIsSeededPerImageSoBatchingDoesNotChangeIt() throws IOException {
    Dataset<Row> images = PspSpark.withOutputNames(PspSpark.readImages(spark, input.toString(), false))
        .filter("name != 'broken'");
    PspSparkOptions o = PspSparkOptions.of("encode").optSeed(5);
    Map<String, Row> batched = byName(PspSpark.transform(images, o.optBatchSize(6)));
    Map<String, Row> single = byName(PspSpark.transform(images.repartition(3), o.optBatchSize(1)));
    for (Map.Entry<String, Row> e : batched.entrySet()) {
      Row r = e.getValue();
      long seed = r.getAs("seed");
      assertThat(seed).isEqualTo(Names.noiseSeed(5, e.getKey()));
      // the same noise per image; libtorch rounds a batch of 6 and of 1 differently (one level at most)
      assertThat(Images.maxDifference(ImageIO.read(new ByteArrayInputStream(r.getAs("image"))),
          ImageIO.read(new ByteArrayInputStream(single.get(e.getKey()).getAs("image"))))).as(e.getKey())
          .isLessThanOrEqualTo(1);
    }
    // and the seed reproduces the image with the library
    Row r = batched.get("face0503");
    BufferedImage source = ImageIO.read(input.resolve("face0503.png").toFile());
    TensorData y = library.generator().synthesize(library.encoder().encode(source), Noise.seeded(r.getAs("seed")),
        OutputSize.FULL);
    assertThat(Images.maxDifference(ImageIO.read(new ByteArrayInputStream(r.getAs("image"))), ImageConversion.toImage(y, 0)))
        .isLessThanOrEqualTo(1);
    assertThat(Arrays.equals((byte[]) r.getAs("image"), (byte[]) batched.get("face0504").getAs("image"))).isFalse();
  }

  @Test
  void photosWithoutAFaceAreErrorsWhenAlignmentIsAsked(@TempDir Path dir) throws IOException {
    Path landmarks = Path.of("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(landmarks) || "true".equals(System.getenv("CI")),
        "dlib's landmark model (Debian's libdlib-data) is not installed");
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.copy(Path.of("..", "psp-align", "src", "test", "resources", "faces", "Tom_Cruise_avp_2014_4.png"),
        photos.resolve("tom.png"));
    BufferedImage gray = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = gray.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, 300, 300);
    g.dispose();
    SparkTesting.write(gray, photos.resolve("wall.png"), "png");
    Files.copy(Path.of("..", "psp-examples", "src", "test", "resources", "corpus", "images", "exif_rotated.jpg"),
        photos.resolve("sideways.jpg"));
    Map<String, Row> rows = byName(PspSpark.transform(PspSpark.readImages(spark, photos.toString(), false),
        PspSparkOptions.of("encode").optAlign("last", null)));
    assertThat((String) rows.get("wall").getAs("error")).contains("no face found").doesNotContain("EXIF");
    // a JPEG whose EXIF orientation turns it: the error says how to turn the pixels
    assertThat((String) rows.get("sideways").getAs("error")).contains("no face found")
        .contains("EXIF orientation (6) tells viewers to show it turned 90° clockwise")
        .contains("mogrify -auto-orient sideways.jpg");
    assertThat(rows.get("tom").<Object>getAs("error")).isNull();
    assertThat(ImageIO.read(new ByteArrayInputStream(rows.get("tom").getAs("image"))).getWidth()).isEqualTo(128);
  }

  @Test
  void aLandmarkModelThatCannotLoadFailsTheJobInsteadOfEveryImage(@TempDir Path dir) throws IOException {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.copy(Path.of("..", "psp-align", "src", "test", "resources", "faces", "Tom_Cruise_avp_2014_4.png"),
        photos.resolve("tom.png"));
    String missing = dir.resolve("no_landmarks.dat").toString();
    Dataset<Row> out = PspSpark.transform(PspSpark.readImages(spark, photos.toString(), false),
        PspSparkOptions.of("encode").optAlign("last", missing));
    assertThatThrownBy(out::collectAsList).hasStackTraceContaining("cannot load dlib's landmark model")
        .hasStackTraceContaining("no_landmarks.dat");
  }

  @Test
  void aRowWithoutAPathIsAnErrorRow() {
    Dataset<Row> rows = spark.createDataset(java.util.Arrays.asList((String) null),
        org.apache.spark.sql.Encoders.STRING()).toDF("path");
    List<Row> out = PspSpark.transform(rows, PspSparkOptions.of("encode")).collectAsList();
    assertThat(out).hasSize(1);
    assertThat((String) out.get(0).getAs("error")).contains("neither a path nor content");
    assertThat((String) out.get(0).getAs("path")).isEmpty();
  }

  @Test
  void aMissingPathColumnIsNamed() {
    Dataset<Row> wrong = spark.createDataset(List.of("x"), org.apache.spark.sql.Encoders.STRING()).toDF("file");
    assertThatThrownBy(() -> PspSpark.transform(wrong, PspSparkOptions.of("encode")))
        .hasMessageContaining("no column 'path'").hasMessageContaining("[file]");
  }
}
