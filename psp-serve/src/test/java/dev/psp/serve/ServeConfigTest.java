package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration's defaults, and argument checks whose messages name the argument. */
class ServeConfigTest {
  @Test
  void defaults() {
    ServeConfig c = ServeConfig.builder().addModel("sketch").build();
    assertThat(c.models()).containsExactly("sketch");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.engine()).isEmpty();
    assertThat(c.batchWindow()).isEqualTo(Duration.ofMillis(10));
    assertThat(c.maxBatch()).isEqualTo(8);
    assertThat(c.batching()).isTrue();
    assertThat(c.queueCapacity()).isEqualTo(64);
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.maxUploadBytes()).isEqualTo(16L << 20);
    assertThat(c.maxImageSide()).isEqualTo(4096);
    assertThat(c.maxPixels()).isEqualTo(16_000_000L);
    assertThat(c.apiKey()).isEmpty();
    assertThat(c.corsOrigins()).isEmpty();
    assertThat(c.toString()).contains("api key=none");
  }

  @Test
  void e4eAndReStyleNamesAreModelNamesWithTheirAliases() {
    ServeConfig c = ServeConfig.builder().addModel("restyle").addModel("e4e_ffhq_encode").build();
    assertThat(c.models()).containsExactly("restyle", "e4e_ffhq_encode");
    ServedModel restyle = new ServedModel("restyle");
    assertThat(restyle.name()).isEqualTo("restyle");
    assertThat(restyle.aliases()).containsExactly("restyle_psp_ffhq_encode");
    assertThatThrownBy(() -> ServeConfig.builder().addModel("restyle").addModel("RESTYLE"))
        .hasMessageContaining("given twice");
  }

  @Test
  void batchingIsOffWithAZeroWindowOrABatchOfOne() {
    assertThat(ServeConfig.builder().addModel("sketch").optBatchWindow(Duration.ZERO).build().batching()).isFalse();
    assertThat(ServeConfig.builder().addModel("sketch").optMaxBatch(1).build().batching()).isFalse();
  }

  @Test
  void theKeyIsNeverPrinted() {
    assertThat(ServeConfig.builder().addModel("sketch").optApiKey("hunter2").build().toString())
        .doesNotContain("hunter2").contains("api key=set");
  }

  @Test
  void badArgumentsAreNamed() {
    ServeConfig.Builder b = ServeConfig.builder();
    assertThatThrownBy(b::build).hasMessageContaining("add at least one model");
    assertThatThrownBy(() -> b.addModel("nope")).hasMessage("unknown model 'nope': not a file, and not one of "
        + dev.psp.ModelRegistry.knownNames());
    assertThatThrownBy(() -> b.optPort(70000)).hasMessage("port must be in 0..65535 (0 = a free port), got 70000");
    assertThatThrownBy(() -> b.optEngine("nope")).hasMessageStartingWith("unknown engine 'nope'; available: ");
    assertThatThrownBy(() -> b.optMaxBatch(0)).hasMessageContaining("max batch");
    assertThatThrownBy(() -> b.optQueueCapacity(0)).hasMessageContaining("queue capacity");
    assertThatThrownBy(() -> b.optRequestTimeout(Duration.ZERO)).hasMessageContaining("request timeout");
    assertThatThrownBy(() -> b.optBatchWindow(Duration.ofMillis(-1))).hasMessageContaining("batch window");
    assertThatThrownBy(() -> b.optCorsOrigin("https://x.org/path")).hasMessageContaining("without a path");
    b.addModel("sketch");
    assertThatThrownBy(() -> b.addModel("SKETCH")).hasMessage("model 'sketch' is given twice");
  }

  @Test
  void aPathIsServedUnderItsFileName(@TempDir Path dir) throws Exception {
    Path pt = Files.writeString(dir.resolve("my_model.pt"), "x");
    ServedModel m = new ServedModel(pt.toString());
    assertThat(m.name()).isEqualTo("my_model");
    assertThat(m.aliases()).isEmpty();
    ServedModel named = new ServedModel("sketch");
    assertThat(named.answersTo("celebs_sketch_to_face")).isTrue();
    assertThat(named.answersTo("encode")).isFalse();

    // a file served under a name that is another model's alias stays reachable by that name
    Path alias = Files.writeString(dir.resolve("celebs_sketch_to_face.pt"), "x");
    ServedModels both = new ServedModels(List.of("sketch", alias.toString()), dev.psp.LoadOptions.defaults());
    assertThatThrownBy(() -> both.require("celebs_sketch_to_face")).hasMessageContaining(
        "model 'celebs_sketch_to_face' is still loading");
    assertThatThrownBy(() -> both.require("SKETCH")).hasMessageContaining("model 'sketch' is still loading");
  }
}
