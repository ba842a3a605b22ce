package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.TranslationTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class PspSparkOptionsTest {
  @Test
  void defaultsTranslateWithFixedNoiseAndAutomaticSlots() {
    PspSparkOptions o = PspSparkOptions.of("encode");
    assertThat(o.images()).isTrue();
    assertThat(o.codes()).isFalse();
    assertThat(o.batchSize()).isEqualTo(PspSparkOptions.DEFAULT_BATCH_SIZE);
    assertThat(o.seed()).isEmpty();
    assertThat(o.device()).isEqualTo("cpu");
    assertThat(o.inferenceSlots()).isZero();
    assertThat(o.threads()).isZero();
    assertThat(o.pathColumn()).isEqualTo("path");
    assertThat(o.contentColumn()).isEqualTo("content");
  }

  @Test
  void optMethodsReturnNewObjects() {
    PspSparkOptions a = PspSparkOptions.of("encode");
    PspSparkOptions b = a.optCodes(true).optBatchSize(2).optSeed(7).optTask(TranslationTask.INVERSION);
    assertThat(a.codes()).isFalse();
    assertThat(b.codes()).isTrue();
    assertThat(b.batchSize()).isEqualTo(2);
    assertThat(b.seed()).hasValue(7);
    assertThat(b.optFixedNoise().seed()).isEmpty();
    assertThat(b).isNotEqualTo(a).isEqualTo(a.optCodes(true).optBatchSize(2).optSeed(7).optTask(TranslationTask.INVERSION));
  }

  @Test
  void theModelKeyIgnoresOptionsThatDoNotChangeTheLoadedModel() {
    PspSparkOptions a = PspSparkOptions.of("encode");
    assertThat(a.optBatchSize(3).optCodes(true).optSeed(1).optInferenceSlots(2).modelKey()).isEqualTo(a.modelKey());
    assertThat(a.optEngine("onnx").modelKey()).isNotEqualTo(a.modelKey());
    assertThat(a.optDevice("gpu:1").modelKey()).isNotEqualTo(a.modelKey());
    assertThat(PspSparkOptions.of("sketch").modelKey()).isNotEqualTo(a.modelKey());
  }

  @Test
  void badValuesAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> PspSparkOptions.of(" ")).hasMessageContaining("model");
    PspSparkOptions o = PspSparkOptions.of("encode");
    assertThatThrownBy(() -> o.optBatchSize(0)).hasMessageContaining("batch size must be >= 1, got 0");
    assertThatThrownBy(() -> o.optInferenceSlots(-1)).hasMessageContaining("inference slots");
    assertThatThrownBy(() -> o.optThreads(-1)).hasMessageContaining("threads");
    assertThatThrownBy(() -> o.optDevice("tpu")).hasMessageContaining("unknown device 'tpu'");
    assertThatThrownBy(() -> o.optAlign("all", null)).hasMessageContaining("one input");
    assertThatThrownBy(() -> o.optAlign("middle", null)).hasMessageContaining("face choice");
    assertThatThrownBy(() -> o.optImages(false).validate()).hasMessageContaining("nothing to produce");
  }

  @Test
  void optionsSurviveJavaSerializationAsSparkShipsThem() throws Exception {
    PspSparkOptions o = PspSparkOptions.of("sketch").optCodes(true).optSeed(3).optAlign("largest", "/x.dat")
        .optModelDir("/models").optTask(TranslationTask.SKETCH_TO_FACE);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      PspSparkOptions back = (PspSparkOptions) in.readObject();
      assertThat(back).isEqualTo(o);
      assertThat(back.toString()).isEqualTo(o.toString());
      assertThat(back.landmarksModel()).hasValue("/x.dat");
    }
  }
}
