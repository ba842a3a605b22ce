package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.TranslationTask;
import dev.psp.testing.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psp export} goes through {@code Psp.export}: the files it lists, and a clear usage error for a bad format. */
class ExportCommandTest {
  @TempDir Path dir;

  private static int run(StringWriter out, StringWriter err, String... args) {
    return PspCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void exportListsTheFilesItWrote() throws Exception {
    Path model = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 31);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(out, err, "export", "--model", model.toString(), "--output", dir.resolve("onnx").toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("encoder.onnx").contains("mapping.onnx").contains("generator.onnx")
        .contains("psp.json").contains(" bytes");
    assertThat(dir.resolve("onnx/generator.onnx")).isNotEmptyFile();
  }

  @Test
  void anUnknownFormatIsAUsageErrorListingTheFormats() throws Exception {
    Path model = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 31);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(out, err, "export", "--model", model.toString(), "--output", dir.toString(), "--format", "tflite"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unknown export format 'tflite'").contains("[onnx]");
  }
}
