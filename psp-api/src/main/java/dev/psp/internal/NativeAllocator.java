package dev.psp.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The glibc {@code malloc} settings under which native engines reuse freed memory instead of taking
 * fresh pages from the kernel on every call. Not API.
 *
 * <p>libtorch allocates every intermediate with {@code malloc}. By default glibc serves large blocks
 * with {@code mmap} and returns them with {@code munmap} when freed, and a thread's own arena cannot
 * hold blocks over 64 MB, so each 1024-px layer touches hundreds of MB of new pages: about 4.8
 * million page faults and as much system time as compute per decode (measured in docs/benchmarks.md;
 * a 1024-px decode went from 2.8 s to 1.4 s on 2 cores). With one arena, no {@code mmap} and no
 * trimming, freed blocks stay in the process and are reused. These are read by glibc when the process
 * starts, so they must be in the environment of the JVM: the {@code psp} command relaunches itself
 * with them (see {@code psp.native.allocator}); embedding applications set them in their launcher.
 * The cost is that the process keeps its peak native memory until it exits.
 */
public final class NativeAllocator {
  /** The environment variables and their values (mallopt(3): M_ARENA_MAX, M_MMAP_MAX, M_TRIM_THRESHOLD). */
  public static final Map<String, String> SETTINGS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("MALLOC_ARENA_MAX", "1");
    m.put("MALLOC_MMAP_MAX_", "0");
    m.put("MALLOC_TRIM_THRESHOLD_", "17179869184");
    SETTINGS = java.util.Collections.unmodifiableMap(m);
  }

  private NativeAllocator() {}

  /** True on Linux with glibc, where the settings mean something (found once per process). */
  public static boolean applies() {
    return Glibc.PRESENT;
  }

  private static final class Glibc {
    static final boolean PRESENT = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
        && NativeLibraries.loadedPath("libc").isPresent();
  }

  /** True when every setting is present in {@code env} (with any value: the user's own choice wins). */
  public static boolean isTuned(Map<String, String> env) {
    return SETTINGS.keySet().stream().allMatch(env::containsKey);
  }

  /** True when this process runs with the settings, or where they do not apply. */
  public static boolean processIsTuned() {
    return !applies() || isTuned(System.getenv());
  }

  /** The settings as shell assignments, e.g. for a message. */
  public static String asShell() {
    StringBuilder sb = new StringBuilder();
    SETTINGS.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }

  /**
   * The {@code psp.native.allocator} setting ({@code PSP_NATIVE_ALLOCATOR}): {@code tuned} (the
   * default: the {@code psp} command relaunches itself with {@link #SETTINGS}) or {@code system}
   * (leave glibc's defaults alone).
   */
  public static boolean wanted() {
    String v = Settings.get("native.allocator").orElse("tuned").toLowerCase(Locale.ROOT);
    switch (v) {
      case "tuned":
        return true;
      case "system":
        return false;
      default:
        throw new IllegalArgumentException("psp.native.allocator (" + Settings.envName("native.allocator")
            + ") must be 'tuned' or 'system', got '" + v + "'");
    }
  }
}
