package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputStoreTest {
  @Test
  void localWritesReplaceWholeFilesAndLeaveNoTemporaryOnes(@TempDir Path dir) throws Exception {
    OutputStore store = OutputStore.of(dir.toString(), Map.of());
    store.mkdirs("images");
    store.write("images/a.png", new byte[] {1, 2, 3});
    store.write("images/a.png", new byte[] {4});
    assertThat(Files.readAllBytes(dir.resolve("images/a.png"))).containsExactly(4);
    assertThat(store.list("images")).containsExactly("a.png");
    assertThat(names(dir.resolve("images"))).containsExactly("a.png");
  }

  @Test
  void fileUrisAndPathsNameTheSameFolder(@TempDir Path dir) throws Exception {
    OutputStore.of(dir.toUri().toString(), Map.of()).write("x", new byte[] {9});
    assertThat(OutputStore.of(dir.toString(), Map.of()).read("x")).containsExactly(9);
    assertThat(OutputStore.readInput(dir.resolve("x").toUri().toString(), Map.of())).containsExactly(9);
    assertThat(OutputStore.readInput("file:" + dir.resolve("x"), Map.of())).containsExactly(9);
  }

  @Test
  void partialFilesOfKilledRunsAreHiddenAndRemoved(@TempDir Path dir) throws Exception {
    OutputStore store = OutputStore.of(dir.toString(), Map.of());
    store.mkdirs("codes");
    Files.write(dir.resolve("codes/" + OutputStore.temporaryName("part")), new byte[] {1});
    Files.write(dir.resolve("codes/part-1.parquet"), new byte[] {1});
    assertThat(store.list("codes")).containsExactly("part-1.parquet");
    assertThat(store.deletePartials("codes")).isEqualTo(1);
    assertThat(names(dir.resolve("codes"))).containsExactly("part-1.parquet");
  }

  @Test
  void temporaryFilesAreRenamedOnCommitAndDeletedOnDiscard(@TempDir Path dir) throws Exception {
    OutputStore store = OutputStore.of(dir.toString(), Map.of());
    store.mkdirs("t");
    try (ParquetPart part = new ParquetPart(store, "t", ParquetPart.ERRORS)) {
      part.addError(new ImageResult("file:/a.png", "a", null, null, null, "broken"), "encode", "dev");
      assertThat(store.list("t")).isEmpty();
      part.commit("part-x.parquet");
    }
    try (ParquetPart part = new ParquetPart(store, "t", ParquetPart.ERRORS)) {
      part.addError(new ImageResult("file:/b.png", "b", null, null, null, "broken"), "encode", "dev");
    }
    assertThat(names(dir.resolve("t"))).containsExactly("part-x.parquet");
  }

  /** The names of every file in a folder, hidden ones included. */
  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
