package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * The permits that bound how many uploads are read at once answer 503 when all are taken (decoding
 * permits go through the same helper).
 */
class ImageLimitsTest {
  @Test
  void uploadsBeyondThePermitsAre503BusyAndPermitsComeBack() {
    ImageLimits limits = new ImageLimits(1 << 20, 1024, 1 << 20, 2, 2, 50);
    ApiException busy = limits.admit(() -> limits.admit(() -> // both permits held
        catchThrowableOfType(() -> limits.admit(() -> "third"), ApiException.class)));
    assertThat(busy).isNotNull();
    assertThat(busy.problem().status()).isEqualTo(503);
    assertThat(busy.problem().slug()).isEqualTo("busy");
    assertThat(busy.getMessage()).contains("busy reading other uploads");
    assertThat(busy.headers()).containsKey("Retry-After");
    assertThat(limits.admit(() -> limits.admit(() -> "both again"))).isEqualTo("both again"); // released, also after the 503
  }
}
