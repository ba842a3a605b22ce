package dev.psp.cli;

import static dev.psp.cli.PspCliTest.psp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.LatentCode;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misuse and faults the CLI must answer with one line and no damage: the first cases of the reliability campaign. */
class HostileUseTest {
  @TempDir Path dir;

  private static final Path FACE = Fixtures.path("families/inputs/input_0.png");

  @Test
  void anOutputThatIsTheInputIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path in = dir.resolve("x.png");
    Files.copy(FACE, in);
    byte[] before = Files.readAllBytes(in);
    PspCliTest.Run r = psp("translate", "--model", "encode", "--input", in.toString(), "--output", in.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--output " + in + " is the input");
    assertThat(Files.readAllBytes(in)).isEqualTo(before);
    Path folder = Files.createDirectories(dir.resolve("faces"));
    Files.copy(FACE, folder.resolve("a.png"));
    r = psp("translate", "--model", "encode", "--input", folder.toString(), "--output", folder + "/./");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is the input");
  }

  @Test
  void aBatchSizeBelowOneIsAUsageErrorOfEveryCommandThatBatches() throws Exception {
    Path in = dir.resolve("x.png");
    Files.copy(FACE, in);
    String[][] commands = {
        {"translate", "--model", "encode", "--input", in.toString(), "--output", dir.resolve("o.png").toString()},
        {"encode", "--model", "encode", "--input", in.toString(), "--output", dir.resolve("c.npy").toString()},
        {"mix", "--model", "sketch", "--input", in.toString(), "--output", dir.resolve("m").toString()}};
    for (String[] c : commands) {
      String[] args = Stream.concat(Stream.of(c), Stream.of("--batch-size", "0")).toArray(String[]::new);
      PspCliTest.Run r = psp(args);
      assertThat(r.code()).as(c[0] + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--batch-size must be >= 1, got 0").doesNotContain("by zero");
    }
  }

  @Test
  void aMissingInputIsNamedAsMissing() {
    Path missing = dir.resolve("nope.png");
    PspCliTest.Run r = psp("edit", "--model", "encode", "--input", missing.toString(), "--direction",
        dir.resolve("d.npy").toString(), "--output", dir.resolve("s.png").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("error: " + missing + " does not exist");
  }

  @Test
  void aFolderIsReadBatchByBatchAndSkipExistingResumesAfterAFailure() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("faces"));
    Files.copy(FACE, folder.resolve("a.png"));
    Files.copy(FACE, folder.resolve("b.png"));
    Files.writeString(folder.resolve("c.png"), "not a picture");
    Files.copy(FACE, folder.resolve("d.png"));
    Path out = dir.resolve("out");
    PspCliTest.Run r = psp("translate", "--model", "encode", "--input", folder.toString(), "--output", out.toString(),
        "--batch-size", "1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("c.png").doesNotContain("\tat ").doesNotContain("UncheckedIOException");
    // streamed: the batches before the broken file were decoded, translated and written before it was read
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("a.png", "b.png");
    }
    byte[] a = Files.readAllBytes(out.resolve("a.png"));
    java.nio.file.attribute.FileTime aTime = Files.getLastModifiedTime(out.resolve("a.png"));
    Files.delete(folder.resolve("c.png"));
    r = psp("translate", "--model", "encode", "--input", folder.toString(), "--output", out.toString(), "--skip-existing");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("skipping 2 of 3 inputs whose outputs exist");
    assertThat(r.out()).contains("translated 1 ");
    assertThat(Files.getLastModifiedTime(out.resolve("a.png"))).isEqualTo(aTime);
    // the resumed output equals what a straight run gives (fixed noise)
    assertThat(Files.readAllBytes(out.resolve("d.png"))).isEqualTo(a);
    r = psp("translate", "--model", "encode", "--input", folder.toString(), "--output", dir.resolve("o.npy").toString(),
        "--skip-existing");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--skip-existing needs a folder --output");
  }

  @Test
  void anUnsupportedOutputExtensionIsAnErrorNotAFolder() {
    Path out = dir.resolve("out.tiff");
    PspCliTest.Run r = psp("translate", "--model", "encode", "--input", FACE.toString(), "--output", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(".tiff is not an output format");
    assertThat(out).doesNotExist();
  }

  @Test
  void aFailedImageWriteKeepsTheOldFileAndLeavesNoPartialFile() throws Exception {
    Path out = dir.resolve("keep.png");
    Files.copy(FACE, out);
    byte[] before = Files.readAllBytes(out);
    BufferedImage failing = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB) {
      @Override
      public WritableRaster getRaster() {
        throw new IllegalStateException("disk full (simulated)");
      }

      @Override
      public java.awt.image.Raster getData(java.awt.Rectangle r) {
        throw new IllegalStateException("disk full (simulated)");
      }
    };
    assertThatThrownBy(() -> Io.writeImage(failing, out)).hasMessageContaining("disk full");
    assertThat(Files.readAllBytes(out)).isEqualTo(before);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep.png");
    }
  }

  @Test
  void nonFiniteInputsAndCodesAreRefusedWithTheirPosition() throws Exception {
    float[] x = new float[3 * 256 * 256];
    x[7] = Float.NaN;
    Path in = dir.resolve("x.npy");
    Npy.write(in, TensorData.ofFloats(x, 1, 3, 256, 256));
    PspCliTest.Run r = psp("translate", "--model", "encode", "--input", in.toString(), "--output", dir.resolve("y.npy").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("encoder input holds NaN at flat index 7");
    assertThat(dir.resolve("y.npy")).doesNotExist();
    float[] c = new float[12 * 32];
    c[33] = Float.POSITIVE_INFINITY;
    Path codes = dir.resolve("c.npy");
    LatentCode.of(c, 1, 12, 32).save(codes);
    r = psp("decode", "--model", "encode", "--input", codes.toString(), "--output", dir.resolve("d.png").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("latent code holds Infinity at flat index 33");
    assertThat(dir.resolve("d.png")).doesNotExist();
  }
}
