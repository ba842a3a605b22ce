package dev.psp.serve;

import static dev.psp.serve.TestSupport.assertSamePixels;
import static dev.psp.serve.TestSupport.input;
import static dev.psp.serve.TestSupport.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.TranslationTask;
import dev.psp.align.AlignedFace;
import dev.psp.align.Face;
import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.RgbImage;
import dev.psp.image.ImageConversion;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.testing.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One server with two bundled demo models (sketch to face, and inversion) called on every endpoint: each
 * result equals what the library (and so the {@code psp} command) gives for the same input, bad requests
 * are answered with problem details that say what is wrong, batching puts concurrent requests into one
 * batch without mixing up their results, and the OpenAPI description lists exactly the server's routes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PspServerTest {
  private static final Path FACES = Path.of("..", "psp-align", "src", "test", "resources", "faces");

  private PspServer server;
  private Client client;
  private PspModel sketch;
  private PspModel inversion;

  @BeforeAll
  void start() throws Exception {
    server = PspServer.start(TestSupport.config("sketch", "encode").optMaxUploadBytes(1 << 20).build());
    client = new Client(server);
    sketch = Psp.load("sketch", TestSupport.loadOptions());
    inversion = Psp.load("encode", TestSupport.loadOptions());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (sketch != null) {
      sketch.close();
    }
    if (inversion != null) {
      inversion.close();
    }
  }

  @Test
  void healthIsUpAndTheModelsAreListed() {
    Client.Response health = client.get("/health");
    assertThat(health.status()).as(health.toString()).isEqualTo(200);
    assertThat(health.object().get("status").getAsString()).isEqualTo("UP");
    assertThat(health.object().getAsJsonObject("models").get("sketch").getAsString()).isEqualTo("ready");

    Client.Response models = client.get("/v1/models");
    assertThat(models.status()).isEqualTo(200);
    JsonArray list = models.array();
    assertThat(list).hasSize(2);
    JsonObject m = list.get(0).getAsJsonObject();
    assertThat(m.get("name").getAsString()).isEqualTo("sketch");
    assertThat(m.get("task").getAsString()).isEqualTo("SKETCH_TO_FACE");
    assertThat(m.get("input_channels").getAsInt()).isEqualTo(1);
    assertThat(m.get("output_size").getAsInt()).isEqualTo(sketch.config().outputSize());
    assertThat(m.get("n_styles").getAsInt()).isEqualTo(sketch.config().nStyles());
    assertThat(m.get("engine").getAsString()).isEqualTo("pytorch");
    assertThat(m.get("bundled").getAsBoolean()).isTrue();
    assertThat(list.get(1).getAsJsonObject().get("task").getAsString()).isEqualTo("INVERSION");
  }

  @Test
  void translateEqualsPspModelTranslate() {
    BufferedImage in = input(TranslationTask.SKETCH_TO_FACE, 0);
    Client.Response r = client.postPng("/v1/translate?model=sketch", png(in));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("image/png");
    assertThat(r.header("X-Psp-Batch-Size")).isEqualTo("1");
    assertThat(r.header("X-Psp-Noise")).isEqualTo("fixed");
    assertSamePixels(r.image(), sketch.translate(in));

    // an alias of the task names the same model; resize pools to 256 as the official resize=True
    Client.Response pooled = client.postPng("/v1/translate?model=celebs_sketch_to_face&resize=true", png(in));
    assertThat(pooled.status()).as(pooled.toString()).isEqualTo(200);
    assertSamePixels(pooled.image(), sketch.translate(List.of(in), Noise.fixed(), OutputSize.POOLED).get(0));

    Client.Response jpeg = client.postPng("/v1/translate?model=sketch", png(in), "Accept", "image/jpeg");
    assertThat(jpeg.contentType()).startsWith("image/jpeg");
    assertThat(Images.maxDifference(jpeg.image(), sketch.translate(in))).isLessThan(64);
  }

  @Test
  void seededAndRandomNoiseEqualTheLibraryWithThatSeed() {
    BufferedImage in = input(TranslationTask.SKETCH_TO_FACE, 1);
    Client.Response seeded = client.postPng("/v1/translate?model=sketch&noise=seeded&seed=7", png(in));
    assertThat(seeded.status()).as(seeded.toString()).isEqualTo(200);
    assertThat(seeded.header("X-Psp-Noise")).isEqualTo("seeded(7)");
    assertSamePixels(seeded.image(), sketch.translate(List.of(in), Noise.seeded(7), OutputSize.FULL).get(0));

    Client.Response random = client.postPng("/v1/translate?model=sketch&noise=random", png(in));
    Matcher m = Pattern.compile("seeded\\((-?\\d+)\\)").matcher(random.header("X-Psp-Noise"));
    assertThat(m.matches()).as(random.header("X-Psp-Noise")).isTrue();
    long seed = Long.parseLong(m.group(1));
    assertSamePixels(random.image(), sketch.translate(List.of(in), Noise.seeded(seed), OutputSize.FULL).get(0));
  }

  @Test
  void encodeEqualsTheEncoderAsJsonAndAsNpy() throws Exception {
    BufferedImage in = input(TranslationTask.INVERSION, 0);
    float[] expected = inversion.encoder().encode(in).values();

    Client.Response json = client.postPng("/v1/encode?model=encode", png(in));
    assertThat(json.status()).as(json.toString()).isEqualTo(200);
    JsonObject o = json.object();
    assertThat(o.get("model").getAsString()).isEqualTo("encode");
    assertThat(o.getAsJsonArray("shape").toString()).isEqualTo("[1," + inversion.config().nStyles() + ","
        + inversion.config().architecture().styleDim() + "]");
    assertThat(floats(o.getAsJsonArray("data"))).isEqualTo(expected);

    Client.Response npy = client.postPng("/v1/encode?model=encode", png(in), "Accept", "application/octet-stream");
    assertThat(npy.contentType()).startsWith("application/octet-stream");
    TensorData t = Npy.read(new ByteArrayInputStream(npy.body()), "response");
    assertThat(t.shape()).containsExactly(1, inversion.config().nStyles(), inversion.config().architecture().styleDim());
    assertThat(t.toFloatArray()).isEqualTo(expected);
  }

  @Test
  void decodeEqualsTheGenerator() throws Exception {
    LatentCode code = inversion.encoder().encode(input(TranslationTask.INVERSION, 2));
    BufferedImage expected = inversion.generator().synthesizeImages(code, Noise.fixed(), OutputSize.FULL).get(0);
    Client.Response r = client.post("/v1/decode?model=encode", "application/octet-stream", npy(code.toTensor()));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertSamePixels(r.image(), expected);

    // [n_styles, dim] is one code too
    TensorData rows = code.toTensor().reshape(code.nStyles(), code.dim());
    Client.Response r2 = client.post("/v1/decode?model=encode&resize=true", "application/x-npy", npy(rows));
    assertThat(r2.status()).as(r2.toString()).isEqualTo(200);
    assertSamePixels(r2.image(), inversion.generator().synthesizeImages(code, Noise.fixed(), OutputSize.POOLED).get(0));
  }

  @Test
  void mixGivesTheImagesOfPspMix() {
    BufferedImage in = input(TranslationTask.SKETCH_TO_FACE, 3);
    Client.Response r = client.postPng("/v1/mix?model=sketch&layers=fine&alpha=0.5&seed=5&samples=3", png(in));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonObject o = r.object();
    assertThat(o.get("layers").getAsString()).isEqualTo("fine");
    assertThat(o.get("alpha").getAsDouble()).isEqualTo(0.5);
    assertThat(o.get("seed").getAsLong()).isEqualTo(5);
    JsonArray images = o.getAsJsonArray("images");
    assertThat(images).hasSize(3);

    // what psp mix computes: the input's codes mixed with random code k, decoded with fixed noise
    StyleMixer mixer = StyleMixer.parse("fine", 0.5);
    LatentCode codes = sketch.encoder().encode(sketch.encoder().preprocess(List.of(in)));
    List<LatentCode> injects = StyleMixer.randomCodes(sketch.generator(), 3, 5);
    List<BufferedImage> expected = new ArrayList<>();
    expected.add(sketch.translate(in));
    for (int k = 0; k < 3; k++) {
      TensorData t = sketch.generator().synthesize(mixer.mix(codes, injects.get(k)), Noise.fixed(), OutputSize.FULL);
      BufferedImage variant = ImageConversion.toImage(t, 0);
      expected.add(variant);
      assertSamePixels(base64Image(images.get(k)), variant);
    }
    assertSamePixels(base64Image(o.get("translation")), expected.get(0));

    Client.Response grid = client.postPng("/v1/mix?model=sketch&layers=fine&alpha=0.5&seed=5&samples=3", png(in),
        "Accept", "image/png");
    assertThat(grid.contentType()).startsWith("image/png");
    assertSamePixels(grid.image(), ImageEncoding.row(expected));
  }

  @Test
  void interpolateGivesTheFramesOfPspInterpolate() {
    BufferedImage a = input(TranslationTask.INVERSION, 4);
    BufferedImage b = input(TranslationTask.INVERSION, 5);
    Client.Multipart body = Client.multipart("from", "a.png", "image/png", png(a), "to", "b.png", "image/png", png(b));
    Client.Response r = client.post("/v1/interpolate?model=encode&steps=3", body.contentType(), body.body());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonArray frames = r.object().getAsJsonArray("frames");
    assertThat(frames).hasSize(3);
    LatentCode ca = inversion.encoder().encode(a);
    LatentCode cb = inversion.encoder().encode(b);
    for (int i = 0; i < 3; i++) {
      BufferedImage expected = inversion.generator().synthesizeImages(ca.interpolate(cb, i / 2.0), Noise.fixed(),
          OutputSize.FULL).get(0);
      assertSamePixels(base64Image(frames.get(i)), expected);
    }
    assertSamePixels(base64Image(frames.get(0)), inversion.translate(a));

    // an end may be a W+ code (.npy), as psp interpolate takes; the frames then come as one PNG row
    Client.Multipart withCode = Client.multipart("from", "a.png", "image/png", png(a), "to", "b.npy",
        "application/octet-stream", npyUnchecked(cb.toTensor()));
    Client.Response row = client.post("/v1/interpolate?model=encode&steps=3", withCode.contentType(), withCode.body(),
        "Accept", "image/png");
    assertThat(row.status()).as(row.toString()).isEqualTo(200);
    List<BufferedImage> expected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      expected.add(base64Image(frames.get(i)));
    }
    assertSamePixels(row.image(), ImageEncoding.row(expected));
  }

  private static byte[] npyUnchecked(TensorData t) {
    try {
      return npy(t);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void alignFindsTheFacesPspAlignFinds() throws Exception {
    FaceAligner aligner;
    try {
      aligner = FaceAligner.load();
    } catch (java.nio.file.NoSuchFileException e) {
      assumeTrue(false, "dlib's landmark model is not installed: " + e.getMessage());
      return;
    }
    byte[] photo = Files.readAllBytes(FACES.resolve("2008_001009.png"));
    RgbImage rgb = RgbImage.of(ImageIO.read(new ByteArrayInputStream(photo)));
    List<Face> faces = aligner.detect(rgb);

    Client.Response r = client.postPng("/v1/align?face=all", photo);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonArray json = r.object().getAsJsonArray("faces");
    assertThat(json).hasSize(faces.size());
    assertThat(r.object().get("faces_found").getAsInt()).isEqualTo(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      JsonObject f = json.get(i).getAsJsonObject();
      Face face = faces.get(i);
      assertThat(f.getAsJsonArray("box").toString()).isEqualTo("[" + face.box().left() + "," + face.box().top() + ","
          + face.box().right() + "," + face.box().bottom() + "]");
      assertThat(f.getAsJsonArray("landmarks")).hasSize(68);
      assertThat(f.getAsJsonArray("quad")).hasSize(8);
      AlignedFace expected = aligner.align(rgb, face, 256, 256);
      assertSamePixels(base64Image(f.get("image")), expected.image().toBufferedImage());
    }

    Client.Response one = client.postPng("/v1/align?face=last&size=128", photo, "Accept", "image/png");
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    AlignedFace last = aligner.align(rgb, FaceChoice.last(), "photo", 128, 128).get(0);
    assertSamePixels(one.image(), last.image().toBufferedImage());

    Client.Response none = client.postPng("/v1/align", Files.readAllBytes(FACES.resolve("dogs.png")));
    assertProblem(none, 422, "no-face", "no face found in " + AlignRoutes.SOURCE);
    // a JPEG whose EXIF orientation turns it: the error says how to turn the pixels
    Client.Response sideways = client.post("/v1/align", "image/jpeg", Files.readAllBytes(
        Path.of("..", "psp-examples", "src", "test", "resources", "corpus", "images", "exif_rotated.jpg")));
    assertProblem(sideways, 422, "no-face", "EXIF orientation (6) tells viewers to show it turned 90° clockwise");
    assertThat(sideways.text()).contains("mogrify -auto-orient the photo");

    BufferedImage tom = ImageIO.read(FACES.resolve("Tom_Cruise_avp_2014_4.png").toFile());
    int w = tom.getWidth() / 2;
    int h = tom.getHeight() / 2;
    BufferedImage crowd = new BufferedImage(6 * w, 6 * h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = crowd.createGraphics();
    for (int i = 0; i < 36; i++) {
      g.drawImage(tom, (i % 6) * w, (i / 6) * h, w, h, null);
    }
    g.dispose();
    assertThat(aligner.detect(RgbImage.of(crowd))).hasSizeGreaterThan(AlignRoutes.MAX_FACES);
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream(); // under the test server's 1 MiB body limit
    ImageIO.write(crowd, "jpg", jpeg);
    Client.Response many = client.post("/v1/align?face=all", "image/jpeg", jpeg.toByteArray());
    assertProblem(many, 422, "too-many-faces", "aligns at most " + AlignRoutes.MAX_FACES);
  }

  @Test
  void concurrentTranslationsRunAsBatchesAndEachGetsItsOwnResult() throws Exception {
    int n = 10; // max batch 8: one batch of 8, one of 2
    List<BufferedImage> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inputs.add(input(TranslationTask.SKETCH_TO_FACE, 20 + i));
    }
    double[] before = batchStats("translate");
    List<Client.Response> responses = whileInferenceIsBlocked(n, () -> {
      List<CompletableFuture<Client.Response>> out = new ArrayList<>();
      for (BufferedImage in : inputs) {
        out.add(client.postAsync("/v1/translate?model=sketch", "image/png", png(in)));
      }
      return out;
    });
    double[] after = batchStats("translate");
    assertThat(after[0] - before[0]).as("batches").isEqualTo(2);
    assertThat(after[1] - before[1]).as("requests in them").isEqualTo(n);

    // each response is its own input's row of the library's translation of the same batch
    Map<String, List<Integer>> batches = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      Client.Response r = responses.get(i);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      batches.computeIfAbsent(r.header("X-Psp-Batch-Id"), k -> new ArrayList<>()).add(i);
    }
    assertThat(batches.values().stream().map(List::size).sorted().toList()).containsExactly(2, 8);
    for (List<Integer> members : batches.values()) {
      members.sort(Comparator.comparingInt(i -> Integer.parseInt(responses.get(i).header("X-Psp-Batch-Index"))));
      List<BufferedImage> batch = members.stream().map(inputs::get).toList();
      List<BufferedImage> expected = sketch.translate(batch, Noise.fixed(), OutputSize.FULL);
      for (int j = 0; j < members.size(); j++) {
        int i = members.get(j);
        assertThat(responses.get(i).header("X-Psp-Batch-Size")).isEqualTo(Integer.toString(members.size()));
        assertSamePixels(responses.get(i).image(), expected.get(j));
        // and within float rounding of translating the input alone
        assertThat(Images.maxDifference(responses.get(i).image(), sketch.translate(inputs.get(i)))).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void concurrentEncodingsRunAsOneBatchAndEachGetsItsOwnCode() throws Exception {
    int n = 3;
    List<BufferedImage> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inputs.add(input(TranslationTask.INVERSION, 40 + i));
    }
    double[] before = batchStats("encode");
    List<Client.Response> responses = whileInferenceIsBlocked(n, () -> {
      List<CompletableFuture<Client.Response>> out = new ArrayList<>();
      for (BufferedImage in : inputs) {
        out.add(client.postAsync("/v1/encode?model=encode", "image/png", png(in)));
      }
      return out;
    });
    double[] after = batchStats("encode");
    assertThat(after[0] - before[0]).isEqualTo(1);
    assertThat(after[1] - before[1]).isEqualTo(n);
    List<BufferedImage> order = new ArrayList<>(inputs);
    for (int i = 0; i < n; i++) {
      order.set(Integer.parseInt(responses.get(i).header("X-Psp-Batch-Index")), inputs.get(i));
    }
    LatentCode expected = inversion.encoder().encode(inversion.encoder().preprocess(order));
    for (int i = 0; i < n; i++) {
      int index = Integer.parseInt(responses.get(i).header("X-Psp-Batch-Index"));
      assertThat(floats(responses.get(i).object().getAsJsonArray("data"))).isEqualTo(expected.sample(index).values());
    }
  }

  /**
   * Photos waiting to be aligned hold their decoded pixels: a server whose largest photo is this one
   * queues {@value AlignBacklog#PHOTOS} of them while the inference thread is busy, refuses the next
   * with 503 and Retry-After, aligns the queued ones when it is free, and then has room again.
   */
  @Test
  void alignRefusesAPhotoThatWouldOverfillTheBacklogOfWaitingPhotos() throws Exception {
    try {
      dev.psp.align.LandmarkModel.locate(java.util.Optional.empty(), java.util.Optional.empty());
    } catch (java.nio.file.NoSuchFileException e) {
      assumeTrue(false, "dlib's landmark model is not installed: " + e.getMessage());
    }
    byte[] photo = Files.readAllBytes(FACES.resolve("Tom_Cruise_avp_2014_4.png"));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo));
    long pixels = (long) image.getWidth() * image.getHeight();
    try (PspServer small = PspServer.start(TestSupport.config("encode").optMaxPixels(pixels + 1).build())) {
      Client c = new Client(small);
      CountDownLatch gate = new CountDownLatch(1);
      CompletableFuture<Object> blocker = small.inference().submitInternal("test-block", () -> {
        gate.await();
        return null;
      });
      List<CompletableFuture<Client.Response>> queued = new ArrayList<>();
      Client.Response refused;
      try {
        await(() -> small.inference().depth() == 0, "the inference thread to take the blocker");
        for (int i = 0; i < AlignBacklog.PHOTOS; i++) {
          queued.add(c.postAsync("/v1/align", ImageEncoding.PNG, photo));
        }
        await(() -> small.inference().depth() == AlignBacklog.PHOTOS, AlignBacklog.PHOTOS + " photos to queue");
        refused = c.postPng("/v1/align", photo);
      } finally {
        gate.countDown();
      }
      blocker.join();
      assertProblem(refused, 503, "align-backlog", "photos waiting to be aligned hold");
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(metric(c.get("/metrics").text(), "psp_http_rejected_total{reason=\"align_backlog\"}")).isEqualTo(1.0);
      for (CompletableFuture<Client.Response> f : queued) {
        Client.Response r = f.join();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.object().get("faces_found").getAsInt()).isEqualTo(1);
      }
      Client.Response again = c.postPng("/v1/align", photo);
      assertThat(again.status()).as("the backlog is free again: " + again).isEqualTo(200);
    }
  }

  /** Sends requests while the inference thread waits, so that they all queue, then lets it go. */
  private List<Client.Response> whileInferenceIsBlocked(int count,
      java.util.function.Supplier<List<CompletableFuture<Client.Response>>> send) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CompletableFuture<Object> blocker = server.inference().submitInternal("test-block", () -> {
      gate.await();
      return null;
    });
    List<CompletableFuture<Client.Response>> pending;
    try {
      await(() -> server.inference().depth() == 0, "the inference thread to take the blocker");
      pending = send.get();
      await(() -> server.inference().depth() == count, count + " requests to queue");
    } finally {
      gate.countDown();
    }
    blocker.join();
    List<Client.Response> out = new ArrayList<>();
    for (CompletableFuture<Client.Response> f : pending) {
      out.add(f.join());
    }
    return out;
  }

  static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** {count, sum} of the batch-size histogram of an operation. */
  private double[] batchStats(String operation) {
    String text = client.get("/metrics").text();
    return new double[] {metric(text, "psp_inference_batch_size_count{operation=\"" + operation + "\"}"),
        metric(text, "psp_inference_batch_size_sum{operation=\"" + operation + "\"}")};
  }

  /** The value of one sample line of a Prometheus text, 0 when absent. */
  static double metric(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  @Test
  void metricsCountRequestsLatencyQueueAndBatches() {
    client.postPng("/v1/translate?model=sketch", png(input(TranslationTask.SKETCH_TO_FACE, 6)));
    Client.Response r = client.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    String text = r.text();
    assertThat(metric(text, "psp_http_requests_total{method=\"POST\",route=\"/v1/translate\",status=\"200\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(text).contains("psp_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/translate\"");
    assertThat(text).contains("psp_inference_queue_depth ");
    assertThat(text).contains("psp_inference_batch_size_bucket{operation=\"translate\"");
    assertThat(text).contains("psp_inference_duration_seconds_count{operation=\"translate\"}");
  }

  @Test
  void theOpenApiDescriptionListsExactlyTheServersRoutes() {
    Client.Response r = client.get("/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    JsonObject doc = r.object();
    assertThat(doc.get("openapi").getAsString()).startsWith("3.0");
    Set<String> documented = new HashSet<>();
    for (Map.Entry<String, JsonElement> path : doc.getAsJsonObject("paths").entrySet()) {
      for (String method : path.getValue().getAsJsonObject().keySet()) {
        documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(server.routes());

    // compressed for a client that asks (the page's browser does)
    Client.Response gzip = client.get("/openapi.json", "Accept-Encoding", "gzip");
    assertThat(gzip.status()).isEqualTo(200);
    assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theWebPageIsServed() {
    Client.Response page = client.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.text()).containsIgnoringCase("<html");
    if (PspServer.class.getResource(InfoRoutes.WEB + "/app.js") != null) {
      assertThat(client.get("/app.js").status()).isEqualTo(200);
    }
  }

  @Test
  void corsIsOffByDefault() {
    Client.Response r = client.send(client.request("/v1/models", "Origin", "https://elsewhere.example",
        "Access-Control-Request-Method", "GET").method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .build());
    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
  }

  Stream<Arguments> badRequests() throws Exception {
    byte[] sketchPng = png(input(TranslationTask.SKETCH_TO_FACE, 7));
    byte[] code = npy(TensorData.ofFloats(new float[3 * 512], 1, 3, 512));
    return Stream.of(
        Arguments.of("unknown model", "/v1/translate?model=nope", "image/png", sketchPng, 404, "unknown-model",
            "unknown model 'nope'; this server serves [sketch, encode]"),
        Arguments.of("model left out with two models", "/v1/translate", "image/png", sketchPng, 400, "bad-parameter",
            "parameter 'model' is required"),
        Arguments.of("unknown parameter", "/v1/translate?model=sketch&resise=true", "image/png", sketchPng, 400,
            "bad-parameter", "unknown parameter 'resise'"),
        Arguments.of("bad flag", "/v1/translate?model=sketch&resize=maybe", "image/png", sketchPng, 400, "bad-parameter",
            "parameter 'resize' must be true or false, got 'maybe'"),
        Arguments.of("bad noise", "/v1/translate?model=sketch&noise=loud", "image/png", sketchPng, 400, "bad-parameter",
            "parameter 'noise' must be fixed, seeded, random, got 'loud'"),
        Arguments.of("bad seed", "/v1/translate?model=sketch&noise=seeded&seed=x", "image/png", sketchPng, 400,
            "bad-parameter", "parameter 'seed' must be a 64-bit integer"),
        Arguments.of("too many samples", "/v1/mix?model=sketch&samples=17", "image/png", sketchPng, 400, "bad-parameter",
            "parameter 'samples' must be an integer in 1..16, got '17'"),
        Arguments.of("alpha above 1", "/v1/mix?model=sketch&alpha=2", "image/png", sketchPng, 400, "bad-parameter",
            "parameter 'alpha' must be a number in [0.0, 1.0], got '2'"),
        Arguments.of("a row the model lacks", "/v1/mix?model=sketch&layers=15", "image/png", sketchPng, 400,
            "bad-parameter", "row 15 is not a W+ row of this model"),
        Arguments.of("a bad row list", "/v1/mix?model=sketch&layers=ears", "image/png", sketchPng, 400,
            "bad-parameter", "bad row list 'ears'"),
        Arguments.of("one step", "/v1/interpolate?model=encode&steps=1", "multipart/form-data; boundary=x",
            new byte[0], 400, "bad-parameter", "parameter 'steps' must be an integer in 2..32, got '1'"),
        Arguments.of("bad face choice", "/v1/align?face=middle", "image/png", sketchPng, 400, "bad-parameter",
            "face choice must be last, largest, all or a 0-based index, got 'middle'"),
        Arguments.of("text body", "/v1/translate?model=sketch", "text/plain", "hello".getBytes(), 415,
            "unsupported-media-type", "Content-Type must be image/png or image/jpeg, got 'text/plain'"),
        Arguments.of("no content type", "/v1/translate?model=sketch", null, sketchPng, 415, "unsupported-media-type",
            "Content-Type must be image/png or image/jpeg, got none"),
        Arguments.of("an image to decode", "/v1/decode?model=encode", "image/png", sketchPng, 415,
            "unsupported-media-type", "Content-Type must be application/octet-stream or application/x-npy"),
        Arguments.of("interpolate without multipart", "/v1/interpolate?model=encode", "image/png", sketchPng, 415,
            "unsupported-media-type", "Content-Type must be multipart/form-data"),
        Arguments.of("garbage as png", "/v1/translate?model=sketch", "image/png", "not an image at all".getBytes(), 400,
            "malformed-body", "request body is not an image of an accepted format (JPEG, PNG)"),
        Arguments.of("not an npy", "/v1/decode?model=encode", "application/octet-stream", sketchPng, 400,
            "malformed-body", "not a .npy file"),
        Arguments.of("a code of the wrong model", "/v1/decode?model=encode", "application/octet-stream", code, 400,
            "malformed-body", "codes have 3 rows, this 128px generator takes"),
        Arguments.of("oversize upload", "/v1/translate?model=sketch", "image/png", new byte[(1 << 20) + 1], 413,
            "too-large", "request body of 1048577 bytes is larger than this server's limit of 1048576 bytes"),
        Arguments.of("decompression bomb", "/v1/translate?model=sketch", "image/png",
            TestSupport.pngBomb(100_000, 100_000), 413, "too-large",
            "request body is a 100000x100000 image (10000000000 pixels); at most 4096 pixels a side"),
        Arguments.of("bomb within the side limit", "/v1/encode?model=encode", "image/png",
            TestSupport.pngBomb(4096, 4096), 413, "too-large", "16000000 pixels in all"),
        Arguments.of("no such route", "/v1/nothing", "image/png", sketchPng, 404, "not-found", "/openapi.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestsGetAProblemThatSaysWhy(String name, String path, String contentType, byte[] body, int status,
      String slug, String detail) {
    assertProblem(client.post(path, contentType, body), status, slug, detail);
    assertThat(client.get("/health").status()).as("still healthy").isEqualTo(200);
  }

  @Test
  void unacceptableAcceptIs406() {
    Client.Response r = client.postPng("/v1/translate?model=sketch", png(input(TranslationTask.SKETCH_TO_FACE, 8)),
        "Accept", "text/csv");
    assertProblem(r, 406, "not-acceptable", "image/png, image/jpeg");
  }

  /** The files of {@code src/test/resources/malformed}: each name starts with the status the upload must get. */
  static Stream<Path> malformedUploads() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "malformed"))) {
      return files.filter(p -> !p.getFileName().toString().endsWith(".txt")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedUploads")
  void malformedUploadsAreRefusedWithTheStatusTheirNameGives(Path file) throws Exception {
    String name = file.getFileName().toString();
    int status = Integer.parseInt(name.substring(0, 3));
    String type = name.endsWith(".jpg") ? "image/jpeg" : "image/png";
    Client.Response r = client.post("/v1/translate?model=sketch", type, Files.readAllBytes(file));
    assertThat(r.status()).as(name + ": " + r).isEqualTo(status);
    assertThat(r.contentType()).as(name).startsWith(Problem.MEDIA_TYPE);
    assertThat(client.get("/health").status()).as("still healthy").isEqualTo(200);
  }

  static void assertProblem(Client.Response r, int status, String slug, String detail) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).as(r.toString()).startsWith(Problem.MEDIA_TYPE);
    JsonObject p = r.object();
    assertThat(p.get("type").getAsString()).isEqualTo(Problem.TYPE_PREFIX + slug);
    assertThat(p.get("status").getAsInt()).isEqualTo(status);
    assertThat(p.get("title").getAsString()).isNotBlank();
    assertThat(p.get("detail").getAsString()).contains(detail);
  }

  static float[] floats(JsonArray data) {
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.parseFloat(data.get(i).getAsString()); // the decimal as written, read once as a float
    }
    return out;
  }

  static BufferedImage base64Image(JsonElement e) {
    return TestSupport.read(java.util.Base64.getDecoder().decode(e.getAsString()));
  }

  static byte[] npy(TensorData t) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, t);
    return out.toByteArray();
  }
}
