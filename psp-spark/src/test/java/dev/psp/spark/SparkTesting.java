package dev.psp.spark;

import dev.psp.TranslationTask;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for every test class of this JVM (never stopped: the JVM's exit ends it), and inputs. */
final class SparkTesting {
  /** The seed of the synthetic faces. */
  static final long SEED = 11;
  private static SparkSession session;

  private SparkTesting() {}

  static synchronized SparkSession spark() {
    if (session == null) {
      QuietLog.apply();
      session = SparkSession.builder().master("local[2]").appName("psp-spark tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
    }
    return session;
  }

  /** Writes {@code count} synthetic faces (256 px PNGs {@code face0000.png}, ...) into {@code dir}. */
  static void writeFaces(Path dir, int from, int count) throws IOException {
    Files.createDirectories(dir);
    for (int i = from; i < from + count; i++) {
      write(SyntheticFaces.pair(TranslationTask.INVERSION, SEED, i, 256).source(),
          dir.resolve(String.format(Locale.ROOT, "face%04d.png", i)), "png");
    }
  }

  static void write(BufferedImage image, Path file, String format) throws IOException {
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
  }
}
