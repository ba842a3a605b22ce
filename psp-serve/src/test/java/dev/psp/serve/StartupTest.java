package dev.psp.serve;

import static dev.psp.serve.PspServerTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.PspException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting: a model that cannot load keeps {@code /health} at 503 (and its requests at 503) while the
 * server runs; {@link PspServer#start} throws that failure and closes the server; a port in use is a
 * clear error.
 */
class StartupTest {
  @TempDir
  Path dir;

  /** A configuration with one model, without the face aligner (not loading dlib's 100 MB model saves a second). */
  private ServeConfig.Builder config(Path model) {
    return TestSupport.config(model.toString()).optLandmarkModel(dir.resolve("none.dat"));
  }

  private Path corruptCheckpoint() throws Exception {
    Path bad = dir.resolve("broken.pt");
    Files.writeString(bad, "this is not a torch checkpoint");
    return bad;
  }

  @Test
  void aModelThatFailsToLoadKeepsHealthAt503() throws Exception {
    Path bad = corruptCheckpoint();
    try (PspServer server = PspServer.startAsync(config(bad).build())) {
      assertThatThrownBy(() -> server.awaitReady(Duration.ofMinutes(1))).isInstanceOf(PspException.class)
          .hasMessageContaining("broken.pt");
      assertThat(server.isReady()).isFalse();
      Client client = new Client(server);
      Client.Response health = client.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.object().get("status").getAsString()).isEqualTo("DOWN");
      assertThat(health.object().getAsJsonObject("models").get("broken").getAsString()).startsWith("failed: ");
      assertProblem(client.postPng("/v1/translate?model=broken", TestSupport.png(new java.awt.image.BufferedImage(8, 8,
          java.awt.image.BufferedImage.TYPE_INT_RGB))), 503, "model-failed", "model 'broken' failed to load");
      assertThat(client.get("/v1/models").array().get(0).getAsJsonObject().get("state").getAsString()).isEqualTo("failed");
    }
  }

  @Test
  void startThrowsTheLoadingFailure() throws Exception {
    Path bad = corruptCheckpoint();
    assertThatThrownBy(() -> PspServer.start(config(bad).build()))
        .isInstanceOf(PspException.class).hasMessageContaining("broken.pt");
  }

  @Test
  void theTestJvmIsOfflineAndHermeticLikeTheEngineModules() {
    // inherited from the parent pom's surefire configuration; PSP_* excluded by this module's
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    assertThat(System.getenv("OPT_OUT_TRACKING")).isEqualTo("true");
    assertThat(System.getenv("PSP_MODELS_DIR")).isNull();
    assertThat(System.getenv("PSP_ENGINE")).isNull();
  }

  @Test
  void aPortInUseIsAClearError() throws Exception {
    Path bad = corruptCheckpoint();
    try (PspServer first = PspServer.startAsync(config(bad).build())) {
      assertThatThrownBy(() -> PspServer.startAsync(config(bad).optPort(first.port()).build()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + first.port())
          .hasMessageContaining("choose another port");
    }
  }
}
