package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page of {@code psp serve} in a real browser: headless Chromium driven by Selenium, against a
 * real server with the bundled demo models (sketch, encode, segmentation). Draws, uploads, paints,
 * translates, mixes and interpolates the way a user does, and checks what comes back and what was sent.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} packages; Selenium downloads nothing
 * (both paths are given explicitly). Without them the test is skipped, or fails when {@code CI=true}.
 * Screenshots of each test's last state (the whole page) go to {@code target/screenshots/}. About 25 s
 * on two idle cores, a third of it loading the models and starting Chromium.
 */
class WebPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** Real photos with faces (dlib's examples), for the alignment flow; the test runs in psp-serve/. */
  private static final Path FACE_PHOTO = Path.of("..", "psp-align", "src", "test", "resources", "faces",
      "2008_001009.png");

  private static PspServer server;
  private static ChromeDriverService service;
  private static WebDriver driver;
  private static String base;
  /** Output size of each model, as /v1/models reports it. */
  private static final Map<String, Integer> outputSizes = new HashMap<>();

  private TestInfo test;

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + ": apt-get install chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    // hermetic: a fresh home and an empty model folder, so the bundled demo models load
    server = PspServer.start(TestSupport.config("sketch", "encode", "segmentation").build());
    base = "http://127.0.0.1:" + server.port();
    readOutputSizes();

    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--hide-scrollbars", "--window-size=1200,1000", "--lang=en-US");
    driver = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (service != null) {
        service.stop();
      }
      if (server != null) {
        server.close();
      }
    }
  }

  /** Waits until the server has loaded every model, and reads their output sizes from /v1/models. */
  private static void readOutputSizes() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET /v1/models").isEqualTo(200);
      JsonElement body = JsonParser.parseString(response.body());
      JsonArray models = body.isJsonArray() ? body.getAsJsonArray() : body.getAsJsonObject().getAsJsonArray("models");
      boolean loading = false;
      for (JsonElement element : models) {
        JsonObject model = element.getAsJsonObject();
        String state = model.has("state") ? model.get("state").getAsString() : "READY";
        assertThat(state).as("state of " + model).isNotEqualToIgnoringCase("FAILED");
        loading |= state.equalsIgnoreCase("LOADING");
        for (String key : List.of("outputSize", "output_size", "size", "resolution")) {
          if (model.has(key) && !model.get(key).isJsonNull()) {
            outputSizes.put(model.get("name").getAsString(), model.get(key).getAsInt());
            break;
          }
        }
      }
      if (!loading) {
        break;
      }
      assertThat(System.nanoTime()).as("models still loading after 3 minutes: " + models).isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(outputSizes).as("output sizes in /v1/models").containsKeys("sketch", "encode", "segmentation");
  }

  @BeforeEach
  void open(TestInfo info) {
    test = info;
    driver.manage().window().setSize(new Dimension(1200, 1000));
    driver.get(base + "/");
    waitFor("models loaded", "return document.body.dataset.modelsReady === 'true'"
        + " && !document.getElementById('model').disabled");
    assertThat(text("error-text")).as("error on load").isEmpty();
  }

  @AfterEach
  void screenshot() throws IOException {
    // the whole page: grow the window to the document's height first
    long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
    driver.manage().window().setSize(new Dimension(1200, (int) Math.min(4000, height + 140)));
    js("window.scrollTo(0, 0)");
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"), png);
  }

  @Test
  void aSketchDrawnOnTheCanvasTranslatesToAFaceOfTheModelsOutputSize() throws Exception {
    assertThat(js("return performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(n => !n.startsWith(location.origin))")).as("resources from elsewhere").isEqualTo(List.of());
    pick("sketch");
    assertThat(el("draw-tools").isDisplayed()).isTrue();
    assertThat(el("palette").isDisplayed()).isFalse();
    assertThat(el("undo").isEnabled()).as("undo before any stroke").isFalse();
    assertThat(inkedPixels()).as("a fresh canvas is white").isZero();

    drawStroke(-90, -60, 0, -100, 90, -60);
    long afterFirst = inkedPixels();
    drawStroke(-60, 40, 0, 70, 60, 40);
    long afterSecond = inkedPixels();
    assertThat(afterFirst).as("ink after one stroke").isPositive();
    assertThat(afterSecond).as("ink after two strokes").isGreaterThan(afterFirst);

    // undo takes the last stroke back; clear empties the canvas, and is undone too
    el("undo").click();
    assertThat(inkedPixels()).isEqualTo(afterFirst);
    el("clear").click();
    assertThat(inkedPixels()).isZero();
    el("undo").click();
    assertThat(inkedPixels()).isEqualTo(afterFirst);
    drawStroke(-60, 40, 0, 70, 60, 40);

    translateAndCheck("sketch", 1);
    BufferedImage sent = lastInput();
    assertThat(sent.getWidth()).isEqualTo(256);
    assertThat(sent.getHeight()).isEqualTo(256);
    assertThat(sent.getType()).as("a gray PNG").isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(text("result-meta")).contains(outputSizes.get("sketch") + "×" + outputSizes.get("sketch"));
  }

  @Test
  void theVariantsRowShowsAsManyMixesAsAsked() {
    pick("sketch");
    el("example").click();
    translateAndCheck("sketch", 1);

    // a bad sample count is refused in the page, with a message naming the field
    set("samples", "9");
    el("mix").click();
    waitFor("error banner", "return !document.getElementById('error').hidden");
    assertThat(text("error-text")).contains("Samples").contains("1 to 8");
    el("error-close").click();
    assertThat(el("error").isDisplayed()).isFalse();

    // the random button draws a new seed
    String seed = el("seed").getDomProperty("value");
    el("seed-random").click();
    assertThat(el("seed").getDomProperty("value")).isNotEqualTo(seed).matches("\\d+");

    set("samples", "5");
    new Select(el("layers")).selectByValue("fine");
    set("seed", "7");
    el("mix").click();
    waitFor("5 variants", "const imgs = [...document.querySelectorAll('#variants img')];"
        + " return imgs.length === 5 && imgs.every(i => i.complete && i.naturalWidth > 0);");
    int size = outputSizes.get("sketch");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> variants = (List<Map<String, Object>>) js(
        "return [...document.querySelectorAll('#variants img')].map(img => {"
            + "  const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;"
            + "  const x = c.getContext('2d'); x.drawImage(img, 0, 0);"
            + "  const d = x.getImageData(0, 0, c.width, c.height).data; let h = 0;"
            + "  for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + d[i]) | 0;"
            + "  return {w: img.naturalWidth, h: img.naturalHeight, hash: h}; });");
    assertThat(variants).hasSize(5);
    for (Map<String, Object> v : variants) {
      assertThat(((Number) v.get("w")).intValue()).isEqualTo(size);
      assertThat(((Number) v.get("h")).intValue()).isEqualTo(size);
    }
    assertThat(variants.stream().map(v -> v.get("hash")).distinct().count()).as("distinct variants").isGreaterThan(1);
    assertThat(text("mix-meta")).contains("5 variants").contains("fine layers").contains("seed 7");
    assertThat(el("error").isDisplayed()).isFalse();
  }

  @Test
  void anUploadedSketchTranslates(@TempDir Path dir) throws Exception {
    pick("sketch");
    Path file = dir.resolve("sketch.png");
    ImageIO.write(sketch(), "png", file.toFile());
    el("upload").sendKeys(file.toAbsolutePath().toString());
    waitFor("the upload on the canvas", "return document.getElementById('undo').disabled === false");
    assertThat(inkedPixels()).as("the uploaded lines on the canvas").isPositive();
    translateAndCheck("sketch", 1);
  }

  @Test
  void aPhotoUploadTranslatesAndTwoPhotosInterpolate(@TempDir Path dir) throws Exception {
    pick("encode");
    assertThat(el("draw-tools").isDisplayed()).isFalse();
    assertThat(el("align-row").isDisplayed()).isTrue();
    assertThat(el("interp-card").isDisplayed()).as("interpolation is offered for inversion").isTrue();
    assertThat(el("translate").isEnabled()).as("translate without a photo").isFalse();

    Path a = dir.resolve("a.png");
    Path b = dir.resolve("b.png");
    ImageIO.write(photo(new Color(0x6a8caf), new Color(0xe0b090)), "png", a.toFile());
    ImageIO.write(photo(new Color(0xa05a78), new Color(0x8a5a3c)), "png", b.toFile());
    el("upload").sendKeys(a.toAbsolutePath().toString());
    waitFor("translate enabled", "return !document.getElementById('translate').disabled");
    translateAndCheck("encode", 1);
    assertThat(lastInput().getWidth()).as("the photo is sent as uploaded").isEqualTo(200);

    el("upload-a").sendKeys(a.toAbsolutePath().toString());
    el("upload-b").sendKeys(b.toAbsolutePath().toString());
    set("steps", "5");
    waitFor("interpolate enabled", "return !document.getElementById('interpolate').disabled");
    el("interpolate").click();
    waitFor("frames", "const f = document.getElementById('frame');"
        + " return !document.getElementById('frame-slider').disabled && f.complete && f.naturalWidth > 0;");
    assertThat(el("frame-slider").getDomAttribute("max")).isEqualTo("4");
    assertThat(text("frame-label")).startsWith("frame 1 of 5");
    String first = el("frame").getDomProperty("src");
    el("frame-slider").sendKeys(Keys.END);
    assertThat(text("frame-label")).startsWith("frame 5 of 5");
    el("frame-slider").sendKeys(Keys.ARROW_LEFT, Keys.ARROW_LEFT);
    assertThat(text("frame-label")).startsWith("frame 3 of 5");
    assertThat(el("frame").getDomProperty("src")).isNotEqualTo(first);
    assertThat(((Number) js("return document.getElementById('frame').naturalWidth")).intValue())
        .isEqualTo(outputSizes.get("encode"));
  }

  @Test
  void alignmentUsesTheAlignedFaceOrSaysWhyNot() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(FACE_PHOTO),
        "no test photo at " + FACE_PHOTO.toAbsolutePath().normalize());
    pick("encode");
    el("align").click();
    el("upload").sendKeys(FACE_PHOTO.toRealPath().toString());
    waitFor("alignment done", "return !document.body.hasAttribute('aria-busy')"
        + " && !document.getElementById('translate').disabled");
    if (el("error").isDisplayed()) {
      // a server without dlib's landmark model answers 503: the page says why and sends the photo as it is
      assertThat(text("error-text")).startsWith("Alignment failed");
      assertThat(el("align").isSelected()).isFalse();
      return;
    }
    assertThat(el("align").isSelected()).isTrue();
    translateAndCheck("encode", 1);
    BufferedImage sent = lastInput();
    assertThat(sent.getWidth()).as("the aligned crop is square").isEqualTo(sent.getHeight());
    assertThat(sent.getWidth()).as("the aligned crop, not the 360x480 photo").isNotEqualTo(360);
  }

  @Test
  void aSegmentationPaintedWithTwoLabelsIsSentAsLabelIds() throws Exception {
    pick("segmentation");
    assertThat(el("palette").isDisplayed()).isTrue();
    assertThat(driver.findElements(By.cssSelector("#palette [role=radio]"))).hasSize(19);

    el("label-1").click(); // skin
    assertThat(el("label-1").getDomAttribute("aria-checked")).isEqualTo("true");
    set("pen-width", "30");
    drawStroke(-80, 0, 0, 20, 80, 0);
    el("label-13").click(); // hair
    drawStroke(-80, -90, 0, -110, 80, -90);
    assertThat(el("label-1").getDomAttribute("aria-checked")).isEqualTo("false");

    translateAndCheck("segmentation", 1);
    assertThat(sentIds()).as("label ids in the PNG sent").containsExactly(0, 1, 13);
    // on screen the labels are drawn in their palette colours
    assertThat(js("const d = document.getElementById('canvas').getContext('2d').getImageData(0, 0, 256, 256).data;"
        + " const s = new Set(); for (let i = 0; i < d.length; i += 4) s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);"
        + " return [...s].sort();")).isEqualTo(List.of("0,0,0", "0,0,204", "204,0,0"));
  }

  @Test
  void anUploadedLabelMapIsReadAsLabelIdsWhetherGrayOrInTheOfficialColours(@TempDir Path dir) throws Exception {
    pick("segmentation");
    // ids as gray values, at another size: sampled to 256x256 without blending
    BufferedImage gray = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        gray.getRaster().setSample(x, y, 0, y < 30 ? 13 : x < 50 ? 4 : 0);
      }
    }
    Path grayFile = dir.resolve("ids.png");
    ImageIO.write(gray, "png", grayFile.toFile());
    el("upload").sendKeys(grayFile.toAbsolutePath().toString());
    waitFor("the map on the canvas", "return document.getElementById('undo').disabled === false");
    translateAndCheck("segmentation", 1);
    assertThat(sentIds()).containsExactly(0, 4, 13);

    // the official colours, a little off (as a JPEG or a resized picture would be): the nearest label
    BufferedImage colours = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = colours.createGraphics();
    g.setColor(new Color(0x04, 0x03, 0x00)); // background, 0x000000
    g.fillRect(0, 0, 256, 256);
    g.setColor(new Color(0xc9, 0x04, 0x02)); // skin, 0xcc0000
    g.fillOval(60, 40, 136, 170);
    g.setColor(new Color(0x4a, 0x97, 0x03)); // nose, 0x4c9900
    g.fillRect(118, 110, 20, 40);
    g.setColor(new Color(0xfc, 0x99, 0x36)); // neck, 0xff9933
    g.fillRect(100, 210, 56, 46);
    g.dispose();
    Path colourFile = dir.resolve("colours.png");
    ImageIO.write(colours, "png", colourFile.toFile());
    el("upload").sendKeys(colourFile.toAbsolutePath().toString());
    waitFor("the colour map on the canvas", "const d = document.getElementById('canvas').getContext('2d')"
        + ".getImageData(128, 130, 1, 1).data; return d[0] === 0x4c && d[1] === 0x99 && d[2] === 0;");
    translateAndCheck("segmentation", 2);
    assertThat(sentIds()).containsExactly(0, 1, 2, 17);
  }

  @Test
  void aServerWithAnApiKeyGetsItFromTheUser() throws Exception {
    try (PspServer locked = PspServer.start(TestSupport.config("sketch").optApiKey("s3cret").build())) {
      driver.get("http://127.0.0.1:" + locked.port() + "/?model=sketch");
      waitFor("the key form", "return !document.getElementById('auth').hidden");
      assertThat(text("auth-message")).contains("API key");
      assertThat(el("error").isDisplayed()).as("the key form, not the error banner").isFalse();

      el("api-key").sendKeys("wrong");
      el("api-key-save").click();
      waitFor("the key refused", "return !document.getElementById('auth').hidden"
          + " && document.getElementById('auth-message').textContent.includes('refused')");

      el("api-key").clear();
      el("api-key").sendKeys("s3cret");
      el("api-key-save").click();
      waitFor("models loaded with the key", "return document.body.dataset.modelsReady === 'true'"
          + " && document.getElementById('model').value === 'sketch'");
      el("example").click();
      translateAndCheck("sketch", 1);
    } finally {
      js("sessionStorage.clear()");
    }
  }

  // ---------------------------------------------------------------- helpers

  private void pick(String model) {
    new Select(el("model")).selectByValue(model);
    waitFor("model " + model, "return document.body.dataset.model === '" + model + "'");
  }

  private WebElement el(String id) {
    return driver.findElement(By.id(id));
  }

  private String text(String id) {
    return (String) js("return document.getElementById(arguments[0]).textContent", id);
  }

  private void set(String id, String value) {
    js("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        + " e.dispatchEvent(new Event('input', {bubbles: true}));"
        + " e.dispatchEvent(new Event('change', {bubbles: true}));",
        id, value);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private void waitFor(String what, String script) {
    new WebDriverWait(driver, WAIT).withMessage(() -> what + "; error shown: " + text("error-text"))
        .until(d -> Boolean.TRUE.equals(js(script)));
  }

  /** A mouse stroke through points given as offsets (in CSS pixels) from the canvas centre. */
  private void drawStroke(int... xy) {
    WebElement canvas = el("canvas");
    Actions actions = new Actions(driver).moveToElement(canvas, xy[0], xy[1]).clickAndHold();
    for (int i = 2; i < xy.length; i += 2) {
      actions.moveToElement(canvas, xy[i], xy[i + 1]);
    }
    actions.release().perform();
  }

  /** Pixels of the visible canvas that are not white. */
  private long inkedPixels() {
    return ((Number) js("const d = document.getElementById('canvas').getContext('2d')"
        + ".getImageData(0, 0, 256, 256).data; let n = 0;"
        + " for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) n++; return n;"))
        .longValue();
  }

  private void waitForResult(int seq) {
    waitFor("result " + seq, "const r = document.getElementById('result');"
        + " return r.dataset.seq === '" + seq + "' && r.complete && r.naturalWidth > 0;");
  }

  /** Presses Translate and checks the result: loaded, the model's output size, not blank. */
  private void translateAndCheck(String model, int seq) {
    el("translate").click();
    waitForResult(seq);
    assertThat(el("error").isDisplayed()).as("error: " + text("error-text")).isFalse();
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) js("const img = document.getElementById('result');"
        + " const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;"
        + " const x = c.getContext('2d'); x.drawImage(img, 0, 0);"
        + " const d = x.getImageData(0, 0, c.width, c.height).data; let s = 0, s2 = 0, n = 0;"
        + " for (let i = 0; i < d.length; i += 4) {"
        + "   for (let k = 0; k < 3; k++) { s += d[i + k]; s2 += d[i + k] * d[i + k]; n++; }"
        + " }"
        + " const mean = s / n;"
        + " return {complete: img.complete, w: img.naturalWidth, h: img.naturalHeight,"
        + "   variance: s2 / n - mean * mean};");
    int size = outputSizes.get(model);
    assertThat(result.get("complete")).isEqualTo(true);
    assertThat(((Number) result.get("w")).intValue()).as("naturalWidth").isEqualTo(size);
    assertThat(((Number) result.get("h")).intValue()).as("naturalHeight").isEqualTo(size);
    assertThat(((Number) result.get("variance")).doubleValue()).as("pixel variance of the output").isPositive();
    assertThat(text("result-meta")).as("size, request time, model").matches(size + "×" + size
        + " px.* · \\d+(\\.\\d+)? m?s · " + model);
  }

  /** The image the page sent last (window.pspLastInput), decoded as the server decodes it. */
  private BufferedImage lastInput() throws IOException {
    Object base64 = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + " window.pspLastInput.arrayBuffer().then(b => { const u = new Uint8Array(b); let s = '';"
            + " for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); done(btoa(s)); });");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)));
    assertThat(image).as("window.pspLastInput decodes").isNotNull();
    return image;
  }

  /** The distinct values of the gray PNG the page sent last, checked to be a 256x256 gray image. */
  private TreeSet<Integer> sentIds() throws IOException {
    BufferedImage sent = lastInput();
    assertThat(sent.getWidth()).isEqualTo(256);
    assertThat(sent.getHeight()).isEqualTo(256);
    assertThat(sent.getType()).as("a gray PNG of label ids").isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    TreeSet<Integer> ids = new TreeSet<>();
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        ids.add(sent.getRaster().getSample(x, y, 0));
      }
    }
    return ids;
  }

  /** Black lines of a face on white, like the sketches of the sketch-to-face task. */
  private static BufferedImage sketch() {
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 256, 256);
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(2.5f));
    g.drawOval(70, 44, 116, 148);
    g.drawOval(96, 110, 20, 10);
    g.drawOval(140, 110, 20, 10);
    g.drawLine(128, 124, 120, 150);
    g.drawArc(108, 160, 40, 16, 200, 140);
    g.drawLine(108, 186, 106, 214);
    g.drawLine(148, 186, 150, 214);
    g.dispose();
    return image;
  }

  /** A 200-px "photo": a face-coloured oval on a background. */
  private static BufferedImage photo(Color background, Color skin) {
    BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(background);
    g.fillRect(0, 0, 200, 200);
    g.setColor(skin);
    g.fillOval(55, 35, 90, 120);
    g.setColor(Color.DARK_GRAY);
    g.fillOval(78, 80, 12, 7);
    g.fillOval(110, 80, 12, 7);
    g.setColor(new Color(0xa04040));
    g.fillRect(88, 125, 24, 5);
    g.dispose();
    return image;
  }
}
