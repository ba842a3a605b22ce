package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.nn.PspNetwork;
import dev.psp.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Psp#inspect}: the loading sequence without an engine, and {@link Psp#export} without an exporter. */
class PspInspectTest {
  @TempDir Path dir;

  @Test
  void inspectReadsAndChecksACheckpointWithoutAnEngine() throws Exception {
    Path file = TinyModels.write(dir, TranslationTask.SEGMENTATION_TO_FACE, 5);
    ModelInfo info = Psp.inspect(file.toString());
    assertThat(info.file()).isEqualTo(file);
    assertThat(info.bundled()).isFalse();
    assertThat(info.fileSize()).isEqualTo(Files.size(file));
    assertThat(info.config().task()).isEqualTo(TranslationTask.SEGMENTATION_TO_FACE);
    assertThat(info.config().inputNc()).isEqualTo(19);
    assertThat(info.latentAvg()).isPresent();
    PspNetwork net = PspNetwork.forConfig(info.config());
    long params = net.stateDictSpec().parameterCount();
    assertThat(info.parameters()).isEqualTo(params);
    assertThat(info.encoderParameters()).isPositive();
    assertThat(info.decoderParameters()).isPositive();
    assertThat(info.stateDictEntries()).isEqualTo(net.stateDictSpec().entries().size());
    assertThat(info.toString()).contains("SEGMENTATION_TO_FACE").contains("input_nc 19");
  }

  @Test
  void aNamedTaskOverridesTheOptsAndBundledModelsAreReportedAsSuch() throws Exception {
    ModelInfo info = Psp.inspect("sketch", LoadOptions.defaults().optModelDir(dir));
    assertThat(info.bundled()).isTrue();
    assertThat(info.config().task()).isEqualTo(TranslationTask.SKETCH_TO_FACE);
  }

  @Test
  void exportWithoutAnExporterNamesTheModuleToAdd() throws Exception {
    Path file = TinyModels.write(dir, TranslationTask.INVERSION, 5);
    assertThat(Psp.exportFormats()).isEmpty();
    assertThatThrownBy(() -> Psp.export(file.toString(), "onnx", dir.resolve("out"), LoadOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("psp-onnx");
  }
}
