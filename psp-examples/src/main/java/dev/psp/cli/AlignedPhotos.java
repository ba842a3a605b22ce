package dev.psp.cli;

import dev.psp.align.AlignedFace;
import dev.psp.align.ExifOrientation;
import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.NoFaceException;
import dev.psp.align.RgbImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The aligned faces of a list of photos, in photo order, and the photos that failed (no face,
 * unreadable) with their reasons. Aligned crops are small (256 x 256) and are kept; photos are
 * read again when results are pasted back.
 */
final class AlignedPhotos {
  /**
   * One aligned face.
   *
   * @param name output name: the photo's stem, with {@code _face<j>} when a photo gives several
   * @param photo the photo file
   * @param face the crop and its place in the photo
   */
  record Entry(String name, Path photo, AlignedFace face) {}

  final List<Entry> entries;
  /** Photo file to the reason it gave no face, in photo order. */
  final Map<Path, String> failures;

  private AlignedPhotos(List<Entry> entries, Map<Path, String> failures) {
    this.entries = entries;
    this.failures = failures;
  }

  /** Entries aligned earlier, none failed. */
  static AlignedPhotos of(List<Entry> entries) {
    return new AlignedPhotos(List.copyOf(entries), Map.of());
  }

  /** Aligns the chosen faces of every photo, with a progress bar on {@code err}. */
  static AlignedPhotos align(List<Path> photos, FaceAligner aligner, FaceChoice choice, PrintWriter err) {
    List<Entry> entries = new ArrayList<>();
    Map<Path, String> failures = new LinkedHashMap<>();
    Progress progress = new Progress(err, "photos aligned", photos.size());
    for (Path p : photos) {
      try {
        RgbImage photo = RgbImage.of(Io.readImage(p));
        List<AlignedFace> faces = aligner.align(photo, choice, p.toString());
        for (int j = 0; j < faces.size(); j++) {
          String name = faces.size() == 1 ? Io.stem(p) : String.format(Locale.ROOT, "%s_face%d", Io.stem(p), j);
          entries.add(new Entry(name, p, faces.get(j)));
        }
      } catch (NoFaceException e) {
        failures.put(p, e.getMessage() + ExifOrientation.hint(p));
      } catch (IOException e) {
        failures.put(p, e.getMessage());
      }
      progress.advance(1);
    }
    progress.finish();
    return new AlignedPhotos(List.copyOf(entries), failures);
  }

  /** Reports the failures on {@code err}; a single photo that failed, or all of them, is an error. */
  void report(PrintWriter err) throws IOException {
    report(failures, entries.size(), err);
  }

  /**
   * Lists the photos skipped and why; when nothing was produced ({@code produced == 0}) that is an
   * error carrying the first reason.
   */
  static void report(Map<Path, String> failures, int produced, PrintWriter err) throws IOException {
    if (failures.isEmpty()) {
      return;
    }
    if (produced == 0) {
      if (failures.size() == 1) {
        throw new IOException(failures.values().iterator().next());
      }
      throw new IOException("no face in any of the " + failures.size() + " photos: " + failures.values().iterator().next());
    }
    err.println(failures.size() + " photo(s) skipped:");
    failures.forEach((p, why) -> err.println("  " + p + ": " + why));
  }

  /** The exit code of a command that otherwise succeeded: 1 when photos were skipped. */
  int exitCode() {
    return failures.isEmpty() ? 0 : 1;
  }

  /** Photos that gave at least one face. */
  int photoCount() {
    return (int) entries.stream().map(Entry::photo).distinct().count();
  }
}
