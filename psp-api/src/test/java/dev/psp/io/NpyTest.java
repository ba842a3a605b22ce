package dev.psp.io;

import static dev.psp.io.TensorAssertions.assertSameTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyTest {
  static Stream<Arguments> shapes() {
    return Stream.of(Arguments.of((Object) new long[] {}), Arguments.of((Object) new long[] {5}),
        Arguments.of((Object) new long[] {2, 3, 4}), Arguments.of((Object) new long[] {0, 3}));
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void float32RoundTripsThroughAFile(long[] shape, @TempDir Path tmp) throws IOException {
    float[] values = new float[(int) TensorData.numel(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f - 3.25f;
    }
    TensorData t = TensorData.ofFloats(values, shape);
    Path file = tmp.resolve("t.npy");
    Npy.write(file, t);
    assertSameTensor(Npy.read(file), t, "float32 " + Arrays.toString(shape));
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void int64RoundTripsThroughAStream(long[] shape) throws IOException {
    long[] values = new long[(int) TensorData.numel(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 2 == 0 ? -1L : 1L) << (i % 63);
    }
    TensorData t = TensorData.ofLongs(values, shape);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, t);
    assertSameTensor(Npy.read(new ByteArrayInputStream(out.toByteArray()), "memory"), t, "int64");
  }

  @Test
  void writesAHeaderNumPyReads() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, TensorData.ofFloats(new float[] {1, 2, 3}, 3));
    byte[] file = out.toByteArray();
    int headerLength = (file[8] & 0xff) | (file[9] & 0xff) << 8;
    String header = new String(file, 10, headerLength, StandardCharsets.ISO_8859_1);
    assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }").endsWith("\n");
    assertThat((10 + headerLength) % 64).as("data aligned to 64 bytes").isZero();
    assertThat(file).hasSize(10 + headerLength + 12);
  }

  @Test
  void readsNumPyFilesOfTheFixtures() throws IOException {
    TensorData scalar = Npy.read(Fixtures.path(
        "checkpoint_format/expected/encoder.input_layer.1.num_batches_tracked.npy"));
    assertThat(scalar.dtype()).isEqualTo(DType.INT64);
    assertThat(scalar.shape()).isEmpty();
    assertThat(scalar.toLongArray()).containsExactly(40000);

    TensorData doubles = Npy.read(Fixtures.path("checkpoint_format/expected/extra.float64_tensor.npy"));
    assertThat(doubles.dtype()).isEqualTo(DType.FLOAT64);
    assertThat(doubles.shape()).containsExactly(3, 2);

    TensorData weight = Npy.read(Fixtures.path("checkpoint_format/expected/decoder.conv1.conv.weight.npy"));
    assertThat(weight.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(weight.shape()).containsExactly(1, 4, 4, 3, 3);
  }

  @Test
  void aTruncatedFileFailsWithItsName(@TempDir Path tmp) throws IOException {
    Path whole = Fixtures.path("checkpoint_format/expected/latent_avg.npy");
    byte[] bytes = Files.readAllBytes(whole);
    Path data = tmp.resolve("cut_data.npy");
    Files.write(data, Arrays.copyOf(bytes, bytes.length - 1));
    assertThatThrownBy(() -> Npy.read(data)).isInstanceOf(IOException.class)
        .hasMessageStartingWith(data.toString()).hasMessageContaining("truncated .npy data");
    Path header = tmp.resolve("cut_header.npy");
    Files.write(header, Arrays.copyOf(bytes, 20));
    assertThatThrownBy(() -> Npy.read(header)).isInstanceOf(IOException.class)
        .hasMessageContaining("truncated .npy header");
  }

  @Test
  void aFileWithoutTheMagicIsRefused(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("not.npy");
    Files.writeString(file, "PK this is not numpy");
    assertThatThrownBy(() -> Npy.read(file)).isInstanceOf(IOException.class).hasMessageContaining("magic");
  }
}
