package dev.psp.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.psp.CheckpointFormatException;
import dev.psp.ImageFormatException;
import dev.psp.image.ImageFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of every reader that takes untrusted bytes: the checkpoint reader
 * (zip and legacy containers), the unpickler, the {@code .npy} reader and image decoding.
 *
 * <p>A typed refusal is the expected answer to a malformed input; any other exception, a stack
 * overflow, running out of the fuzzing JVM's heap or a hang is a finding. In a normal build each
 * target runs once per seed in {@code src/test/resources/dev/psp/io/ReaderFuzzTestInputs/<target>/};
 * with {@code JAZZER_FUZZ=1} one target (chosen with {@code -Dtest=ReaderFuzzTest#<target>}) is fuzzed
 * for {@link #CI_DURATION}. {@code scripts/fuzz.sh} runs the same targets for longer through the
 * nested {@code fuzzerTestOneInput} classes (see docs/reliability.md).
 */
class ReaderFuzzTest {
  /** How long CI fuzzes each target. */
  static final String CI_DURATION = "30s";

  private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
    try {
      Path p = Files.createTempFile("psp-fuzz", ".pt");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  });

  @FuzzTest(maxDuration = CI_DURATION)
  void checkpoint(byte[] data) throws IOException {
    checkpointTarget(data);
  }

  @FuzzTest(maxDuration = CI_DURATION)
  void pickle(byte[] data) {
    pickleTarget(data);
  }

  @FuzzTest(maxDuration = CI_DURATION)
  void npy(byte[] data) {
    npyTarget(data);
  }

  @FuzzTest(maxDuration = CI_DURATION)
  void image(byte[] data) {
    imageTarget(data);
  }

  /** A checkpoint file: read whole (the default storage mode), or refused with a CheckpointFormatException. */
  static void checkpointTarget(byte[] data) throws IOException {
    Path p = FILE.get();
    Files.write(p, data);
    try {
      CheckpointReader.read(p);
    } catch (CheckpointFormatException expected) {
      // includes UnsafeCheckpointException: a global outside the allow-list
    }
  }

  /** A bare pickle without persistent ids. */
  static void pickleTarget(byte[] data) {
    try {
      new Unpickler(new ByteReader(new ByteArrayInputStream(data), data.length, "fuzz.pkl"),
          Unpickler.NO_PERSISTENT_IDS, "fuzz.pkl").load();
    } catch (CheckpointFormatException | IOException expected) {
      // refused
    }
  }

  /** An {@code .npy} stream. */
  static void npyTarget(byte[] data) {
    try {
      Npy.read(new ByteArrayInputStream(data), "fuzz.npy");
    } catch (IOException expected) {
      // refused
    }
  }

  /** Image bytes within small limits, so a decoded image is cheap. */
  static void imageTarget(byte[] data) {
    try {
      ImageFiles.decode(data, "fuzz image", ImageFiles.FORMATS, 1024, 1 << 20);
    } catch (ImageFormatException expected) {
      // refused
    }
  }

  /** Entry point of {@code scripts/fuzz.sh checkpoint}. */
  public static final class Checkpoint {
    private Checkpoint() {}

    /** Jazzer's standalone entry point. */
    public static void fuzzerTestOneInput(byte[] data) throws IOException {
      checkpointTarget(data);
    }
  }

  /** Entry point of {@code scripts/fuzz.sh pickle}. */
  public static final class Pickle {
    private Pickle() {}

    /** Jazzer's standalone entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
      pickleTarget(data);
    }
  }

  /** Entry point of {@code scripts/fuzz.sh npy}. */
  public static final class NpyFile {
    private NpyFile() {}

    /** Jazzer's standalone entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
      npyTarget(data);
    }
  }

  /** Entry point of {@code scripts/fuzz.sh image}. */
  public static final class Image {
    private Image() {}

    /** Jazzer's standalone entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
      imageTarget(data);
    }
  }
}
