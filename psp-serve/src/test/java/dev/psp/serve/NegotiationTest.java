package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing the response type from Accept: specific ranges beat wildcards, quality decides, ties keep the default. */
class NegotiationTest {
  private static final List<String> IMAGES = List.of("image/png", "image/jpeg");

  @Test
  void choosesByQualityAndSpecificity() {
    assertThat(Negotiation.choose(null, IMAGES)).isEqualTo("image/png");
    assertThat(Negotiation.choose("*/*", IMAGES)).isEqualTo("image/png");
    assertThat(Negotiation.choose("image/jpeg", IMAGES)).isEqualTo("image/jpeg");
    assertThat(Negotiation.choose("image/*, image/png;q=0.5", IMAGES)).isEqualTo("image/jpeg");
    assertThat(Negotiation.choose("image/jpeg;q=0.9, image/png;q=0.8", IMAGES)).isEqualTo("image/jpeg");
    assertThat(Negotiation.choose("text/html, */*;q=0.1", IMAGES)).isEqualTo("image/png");
    assertThat(Negotiation.choose("application/json, text/plain, */*", List.of("application/json", "image/png")))
        .isEqualTo("application/json");
  }

  @Test
  void nothingAcceptableIs406() {
    assertThatThrownBy(() -> Negotiation.choose("text/csv", IMAGES)).isInstanceOf(ApiException.class)
        .hasMessageContaining("image/png, image/jpeg");
    assertThatThrownBy(() -> Negotiation.choose("image/png;q=0, image/jpeg;q=0", IMAGES)).isInstanceOf(ApiException.class);
  }
}
