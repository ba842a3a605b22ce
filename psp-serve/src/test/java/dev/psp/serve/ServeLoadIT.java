package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load on loopback, bounded in clients and time: {@code psp.load.clients} clients (16) post sketches
 * to {@code /v1/translate} for {@code psp.load.seconds} (20 in CI; the run used 60) on the
 * bundled sketch model; then 8 clients with dynamic batching on and off for
 * {@code psp.load.compare.seconds} each. Reports latency percentiles, throughput and resident memory;
 * asserts no error other than 503 and flat memory, and with {@code -Dpsp.load.benchmark=true} (a quiet
 * machine) that batching at least 1.5x the throughput.
 */
class ServeLoadIT {
  @TempDir static Path home;

  private record Result(int ok, int rejected, Map<Integer, Integer> other, List<Long> latencyNanos, double seconds) {
    double throughput() {
      return ok / seconds;
    }

    long percentileMillis(double p) {
      List<Long> s = new ArrayList<>(latencyNanos);
      Collections.sort(s);
      return s.isEmpty() ? -1 : s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1)) / 1_000_000;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d ok, %d rejected (503), other %s in %.1f s: %.2f images/s, latency p50 %d ms,"
          + " p95 %d ms, p99 %d ms", ok, rejected, other, seconds, throughput(), percentileMillis(0.50),
          percentileMillis(0.95), percentileMillis(0.99));
    }
  }

  @Test
  void sixteenClientsThenBatchingOnAgainstOff() throws Exception {
    int clients = Integer.getInteger("psp.load.clients", 16);
    int seconds = Integer.getInteger("psp.load.seconds", 20);
    int compareSeconds = Integer.getInteger("psp.load.compare.seconds", 15);
    List<byte[]> sketches = sketches(32);
    StringBuilder report = new StringBuilder("load test, CPU avx512: " + avx512());

    long rssStart;
    long rssMid;
    long rssEnd;
    Result load;
    try (PspServer server = PspServer.start(config(true))) {
      warmUp(server.port(), sketches);
      rssStart = rssKb();
      Result first = drive(server.port(), clients, seconds / 2, sketches);
      rssMid = rssKb();
      Result second = drive(server.port(), clients, seconds - seconds / 2, sketches);
      rssEnd = rssKb();
      load = merge(first, second);
    }
    report.append(String.format(Locale.ROOT, "%n  %d clients, %d s, batching on: %s%n  RSS after warm-up %,d kB, half-way %,d kB, end %,d kB",
        clients, seconds, load, rssStart, rssMid, rssEnd));

    Result on;
    try (PspServer server = PspServer.start(config(true))) {
      warmUp(server.port(), sketches);
      on = drive(server.port(), 8, compareSeconds, sketches);
    }
    Result off;
    try (PspServer server = PspServer.start(config(false))) {
      warmUp(server.port(), sketches);
      off = drive(server.port(), 8, compareSeconds, sketches);
    }
    double ratio = on.throughput() / off.throughput();
    report.append(String.format(Locale.ROOT, "%n  8 clients, batching on:  %s%n  8 clients, batching off: %s%n  throughput on / off: %.2f",
        on, off, ratio));
    System.out.println(report);

    assertThat(load.other()).as("responses other than 200 and 503\n" + report).isEmpty();
    assertThat(on.other()).as(report.toString()).isEmpty();
    assertThat(off.other()).as(report.toString()).isEmpty();
    assertThat(load.ok()).as(report.toString()).isPositive();
    // memory flat: the second half may not grow resident memory by more than 256 MB
    assertThat(rssEnd - rssMid).as("RSS growth over the second half\n" + report).isLessThan(256L * 1024);
    // speed is a benchmark, not a CI gate: on 2 shared cores the ratio measured 1.41-2.08 from run to run.
    // The target (>= 1.5) is checked in the benchmark run: -Dpsp.load.benchmark=true (docs/serving.md)
    if (Boolean.getBoolean("psp.load.benchmark")) {
      assertThat(ratio).as("throughput with dynamic batching / without, 8 clients\n" + report).isGreaterThanOrEqualTo(1.5);
    }
  }

  private static ServeConfig config(boolean batching) throws Exception {
    System.setProperty("user.home", home.toString()); // no official file: the bundled sketch model
    ServeConfig.Builder b = ServeConfig.builder().addModel("sketch").optPort(0).optModelDir(Files.createDirectories(home.resolve("models")));
    if (batching) {
      b.optBatchWindow(Duration.ofMillis(10)).optMaxBatch(8);
    } else {
      b.optBatchWindow(Duration.ZERO).optMaxBatch(1);
    }
    return b.build();
  }

  private static void warmUp(int port, List<byte[]> sketches) throws Exception {
    drive(port, 2, 2, sketches);
  }

  /** {@code clients} threads posting sketches until {@code seconds} have passed. */
  private static Result drive(int port, int clients, int seconds, List<byte[]> sketches) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/v1/translate?model=sketch");
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    Map<Integer, Integer> other = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int id = c;
      Thread t = new Thread(() -> {
        int k = 0;
        while (System.nanoTime() < deadline) {
          byte[] body = sketches.get((id * 7 + k++) % sketches.size());
          HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
              .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) {
              ok.incrementAndGet();
              latencies.add(System.nanoTime() - t0);
            } else if (r.statusCode() == 503) {
              rejected.incrementAndGet();
              Thread.sleep(50);
            } else {
              other.merge(r.statusCode(), 1, Integer::sum);
            }
          } catch (Exception e) {
            other.merge(-1, 1, Integer::sum);
          }
        }
      }, "load-client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(ok.get(), rejected.get(), Map.copyOf(other), List.copyOf(latencies), elapsed);
  }

  private static Result merge(Result a, Result b) {
    Map<Integer, Integer> other = new ConcurrentHashMap<>(a.other());
    b.other().forEach((k, v) -> other.merge(k, v, Integer::sum));
    List<Long> lat = new ArrayList<>(a.latencyNanos());
    lat.addAll(b.latencyNanos());
    return new Result(a.ok() + b.ok(), a.rejected() + b.rejected(), Map.copyOf(other), lat, a.seconds() + b.seconds());
  }

  /** Sketch-like PNGs: dark strokes on white, 256 x 256, one per seed. */
  private static List<byte[]> sketches(int n) throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Random r = new Random(i);
      BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = img.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 256, 256);
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(2f));
      g.drawOval(48 + r.nextInt(16), 32 + r.nextInt(16), 150, 190);
      for (int s = 0; s < 8; s++) {
        g.drawLine(60 + r.nextInt(140), 60 + r.nextInt(140), 60 + r.nextInt(140), 60 + r.nextInt(140));
      }
      g.dispose();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      ImageIO.write(img, "png", b);
      out.add(b.toByteArray());
    }
    return out;
  }

  private static long rssKb() throws Exception {
    System.gc();
    Thread.sleep(100);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static String avx512() throws Exception {
    java.util.TreeSet<String> flags = new java.util.TreeSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("flags")) {
        for (String f : line.split("\\s+")) {
          if (f.startsWith("avx512")) {
            flags.add(f);
          }
        }
      }
    }
    return flags.isEmpty() ? "none" : String.join(" ", flags);
  }
}
