package dev.psp.io;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.psp.CheckpointFormatException;
import dev.psp.UnsafeCheckpointException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code pt/malformed/} (written by {@code src/test/python/make_test_checkpoints.py})
 * must fail with a {@link CheckpointFormatException} that names the file and the defect; the
 * {@code unsafe_*} files with an {@link UnsafeCheckpointException}, raised where the global is named.
 */
class MalformedCheckpointTest {
  private static final Map<String, String> DEFECTS = Map.ofEntries(
      entry("unsafe_os_system.pt", "archive/data.pkl at byte 2 names the global 'os.system'"),
      entry("unsafe_builtins_eval_stack_global.pt", "names the global 'builtins.eval'"),
      entry("unsafe_posix_system_stack_global.pt", "names the global 'posix.system'"),
      entry("unsafe_builtin_getattr_legacy.pt", "the file at byte 2 names the global '__builtin__.getattr'"),
      entry("unsafe_load_from_bytes.pt", "names the global 'torch.storage._load_from_bytes'"),
      entry("unsafe_in_legacy_data.pt", "names the global 'os.system'"),
      entry("truncated_zip_10_percent.pt", "truncated: the zip archive has no end-of-central-directory record"),
      entry("truncated_zip_50_percent.pt", "truncated: the zip archive has no end-of-central-directory record"),
      entry("truncated_zip_99_percent.pt", "truncated: the zip archive has no end-of-central-directory record"),
      entry("truncated_zip_no_central_directory.pt", "truncated: the zip archive has no end-of-central-directory"),
      entry("truncated_legacy_in_pickle.pt", "truncated: the pickle in the file"),
      entry("truncated_legacy_in_storage.pt", "truncated: storage '0' ends at byte 366, file has 363 bytes"),
      entry("legacy_huge_storage_count.pt", "holds 4611686018427387904 elements but the data declares 4"),
      entry("legacy_bad_magic.pt", "not torch's magic number"),
      entry("legacy_big_endian.pt", "saved on a big-endian machine"),
      entry("legacy_unlisted_storage.pt", "missing from the key list"),
      entry("tensor_beyond_storage.pt", "reaches element 5 of storage '0', which holds only 4 elements"),
      entry("tensor_offset_beyond_storage.pt", "reaches element 4 of storage '0', which holds only 4 elements"),
      entry("tensor_negative_stride.pt", "a tensor stride element of -1"),
      entry("expanded_view_too_large.pt", "views whose copies would need more memory than the file's 4 bytes"),
      entry("storage_entry_too_short.pt", "holds 16 bytes but data.pkl declares 100 FLOAT32 elements"),
      entry("storage_entry_missing.pt", "the archive has no entry 'archive/data/0'"),
      entry("storage_numel_huge.pt", "storage '0' of 1099511627776 FLOAT32 elements, over the 2 GiB"),
      entry("storage_complex_dtype.pt", "torch.ComplexFloatStorage"),
      entry("storage_key_not_a_string.pt", "a storage id with type torch.FloatStorage, key 0"),
      entry("garbage.pt", "neither a zip archive ('PK') nor a pickle (0x80)"),
      entry("garbage_after_proto.pt", "unsupported opcode"),
      entry("empty.pt", "the file is empty (0 bytes)"),
      entry("zip_without_data_pkl.pt", "no '<folder>/data.pkl' entry"),
      entry("zip_two_data_pkl.pt", "2 data.pkl entries"),
      entry("zip_big_endian.pt", "saved on a big-endian machine"),
      entry("huge_string_length.pt", "needs 4294967280 more bytes at byte 7 but archive/data.pkl ends at byte 11"),
      entry("huge_long4_length.pt", "a negative length -5"),
      entry("huge_central_directory_size.pt", "central directory of 1099511627776 bytes"),
      entry("huge_central_directory_size_zip32.pt", "central directory of 4294967280 bytes"),
      entry("huge_entry_size.pt", "truncated: entry 'archive/data/0' ends at byte 2147484016, file has 811 bytes"),
      entry("huge_local_header_offset.pt", "entry 'archive/data/0' starts at byte 4294967040"),
      entry("deflate_impossible_ratio.pt", "claims 2147483632 bytes of content in 15 bytes"),
      entry("deflate_shorter_than_claimed.pt", "truncated: deflated data ends after 16 of 400 bytes"),
      entry("root_is_a_list.pt", "the root object is a list of 3, not a dict"),
      entry("root_without_state_dict.pt", "no 'state_dict' entry and is not itself a map of tensors"),
      entry("state_dict_value_not_tensor.pt", "state_dict entry 'w' holds 3 instead of a tensor"),
      entry("state_dict_is_a_string.pt", "'state_dict' is 'w', not a dict of tensors"),
      entry("opts_not_a_dict.pt", "'opts' is a list of 2, not a dict"),
      entry("latent_avg_not_a_tensor.pt", "'latent_avg' is 'abc', not a tensor"),
      entry("deeply_nested_lists.pt", "the root object is a list of 1, not a dict"),
      entry("unhashable_key.pt", "a dictionary key that is or holds a list"),
      entry("exponential_tuple_key.pt", "a dictionary key of more than 1000 values"),
      entry("memo_get_missing.pt", "memo entry 5, which was never stored"),
      entry("stack_underflow.pt", "the stack is empty"),
      entry("mark_missing.pt", "needs a MARK but there is none"),
      entry("pickle_protocol_6.pt", "pickle protocol 6"),
      entry("pickle_without_stop.pt", "truncated: the pickle in archive/data.pkl"),
      entry("class_as_value.pt", "holds collections.OrderedDict as a value"),
      entry("class_inside_dict.pt", "holds collections.OrderedDict as a value"),
      entry("reduce_of_storage_class.pt", "a call of torch.FloatStorage"));

  static Stream<Arguments> files() {
    return DEFECTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void failsWithATypedExceptionNamingTheFileAndTheDefect(String name, String defect) throws Exception {
    Path file = folder().resolve(name);
    Throwable thrown = catchThrowable(() -> {
      try (Checkpoint ckpt = CheckpointReader.read(file)) {
        ckpt.root();
        ckpt.stateDict();
        ckpt.opts();
        ckpt.latentAvg();
      }
    });
    assertThat(thrown).isInstanceOf(CheckpointFormatException.class)
        .hasMessageStartingWith(file + ": ").hasMessageContaining(defect);
    assertThat(thrown instanceof UnsafeCheckpointException).as("unsafe").isEqualTo(name.startsWith("unsafe_"));
  }

  @Test
  void aPickleOverTheSizeLimitIsRefusedBeforeItsBytesAreRead(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("huge_pickle.pt");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.write(new byte[] {(byte) 0x80, 2, (byte) 0x8e}); // PROTO 2, BINBYTES8 of 68 MiB
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(68L << 20).array());
      f.setLength((68L << 20) + 64); // sparse: the bytes exist but take no disk space
    }
    assertThatThrownBy(() -> CheckpointReader.read(file)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageStartingWith(file + ": ").hasMessageContaining("beyond the limit of this pickle");
  }

  @Test
  void aFailedResolutionLeavesNoHalfBuiltContainers() throws Exception {
    try (Checkpoint ckpt = CheckpointReader.read(folder().resolve("class_inside_dict.pt"))) {
      assertThatThrownBy(ckpt::root).isInstanceOf(CheckpointFormatException.class);
      assertThatThrownBy(ckpt::root).as("again, not a half-filled root").isInstanceOf(CheckpointFormatException.class);
      assertThat(ckpt.opts()).containsExactly(Map.entry("x", List.of(1L, 2L)));
    }
  }

  @Test
  void everyMalformedFileIsListed() throws Exception {
    try (Stream<Path> files = Files.list(folder())) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(DEFECTS.keySet());
    }
  }

  private static Path folder() throws URISyntaxException {
    return Path.of(MalformedCheckpointTest.class.getResource("/pt/malformed").toURI());
  }
}
