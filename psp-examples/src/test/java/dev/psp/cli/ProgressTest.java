package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void aFastLoopDrawsTheFirstAndTheLastStepNotEveryOne() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out, true), "images", 1000);
    for (int i = 0; i < 1000; i++) {
      p.advance(1);
    }
    String summary = p.finish();
    String text = out.toString();
    long redraws = text.chars().filter(c -> c == '\r').count();
    // the first step and the last are always drawn; in between at most four a second (a thousand
    // steps take milliseconds, so a pause of the machine adds at most a few)
    assertThat(redraws).isBetween(2L, 6L);
    assertThat(text).startsWith("\r[").contains("] 1/1000 images").contains("[" + "=".repeat(30) + "] 1000/1000 images");
    assertThat(summary).startsWith("1000 images in ");
  }

  @Test
  void anEmptyJobDrawsAFullBar() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out, true), "frames", 0);
    p.advance(0);
    assertThat(out.toString()).contains("[" + "=".repeat(30) + "] 0/0 frames");
  }
}
