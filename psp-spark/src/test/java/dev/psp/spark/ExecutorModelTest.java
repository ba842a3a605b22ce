package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecutorModelTest {
  @Test
  void localMasterUrlsGiveTheirCores() {
    assertThat(ExecutorModel.localCores("local", 8)).isEqualTo(1);
    assertThat(ExecutorModel.localCores("local[2]", 8)).isEqualTo(2);
    assertThat(ExecutorModel.localCores("local[*]", 8)).isEqualTo(8);
    assertThat(ExecutorModel.localCores("local[3, 4]", 8)).isEqualTo(3);
    assertThat(ExecutorModel.localCores("local[*,2]", 8)).isEqualTo(8);
  }

  @Test
  void localFilesAndNamesAreKeptAsTheyAre() {
    assertThat(ExecutorModel.localFile("encode")).isEqualTo("encode");
    assertThat(ExecutorModel.localFile("/nowhere/x.pt")).isEqualTo("/nowhere/x.pt");
  }
}
