package dev.psp.testing;

import static dev.psp.testing.ParityReport.CODE_RTOL;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.psp.Direction;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.RefinementStep;
import dev.psp.edit.GanSpace;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * One e4e or ReStyle reference folder made by {@code make_family_reference.py} from the official
 * encoder4editing or restyle-encoder code: an official-format checkpoint, the input PNGs, and the
 * official codes and images (every ReStyle step) plus the official edits. The small ones (1/32 width)
 * are in the repository under {@code fixtures/families}; full-size ones are found under {@code
 * -Dpsp.family.reference.dir}. {@link #check} runs one through an engine; both engines' tests call it.
 *
 * @param dir the folder
 */
public record FamilyCase(Path dir) {
  /** The system property naming the folder of full-size family references. */
  public static final String DIR_PROPERTY = "psp.family.reference.dir";

  /** The small references in the repository. */
  public static Stream<FamilyCase> small() throws IOException {
    return list(Fixtures.path("families"));
  }

  /** The full-size references under {@code -Dpsp.family.reference.dir}. */
  public static Stream<FamilyCase> full() throws IOException {
    String d = System.getProperty(DIR_PROPERTY);
    if (d == null || d.isBlank()) {
      throw new IllegalStateException("set -D" + DIR_PROPERTY + " to the folder holding make_family_reference.py outputs");
    }
    return list(Path.of(d));
  }

  private static Stream<FamilyCase> list(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("index.json"))).sorted().map(FamilyCase::new)
          .toList().stream();
    }
  }

  /** The folder name, e.g. {@code restyle_backbone_s32}. */
  public String name() {
    return dir.getFileName().toString();
  }

  @Override
  public String toString() {
    return name();
  }

  /** The parsed {@code index.json}. */
  public JsonObject index() throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve("index.json"))).getAsJsonObject();
  }

  /** Reads {@code <name>.npy}. */
  public TensorData read(String name) throws IOException {
    return Npy.read(dir.resolve(name + ".npy"));
  }

  /** The input images, in batch order. */
  public List<BufferedImage> inputs() throws IOException {
    List<BufferedImage> out = new ArrayList<>();
    for (var e : index().getAsJsonArray("inputs")) {
      out.add(ImageIO.read(dir.resolve(e.getAsString()).toFile()));
    }
    return out;
  }

  /**
   * Loads the checkpoint on {@code engine} and compares every recorded output: codes within {@link
   * ParityReport#CODE_RTOL} (relative to the largest magnitude), images within {@link
   * ParityReport#IMAGE_ATOL}; for e4e also the InterFaceGAN and GANSpace edits of the codes.
   */
  public ParityReport check(String engine) throws Exception {
    JsonObject index = index();
    ParityReport r = new ParityReport(engine + " " + name() + " (" + index.get("encoder_type").getAsString() + ")",
        ParityReport.Layout.DETAILED);
    try (PspModel m = Psp.load(dir.resolve("checkpoint.pt"), LoadOptions.defaults().optEngine(engine))) {
      TensorData x = m.encoder().preprocess(inputs());
      if (index.get("family").getAsString().equals("restyle")) {
        r.check("iterative", m.config().iterative() ? 0 : 1, 0);
        if (Files.exists(dir.resolve("average_image.npy"))) {
          r.absolute("average_image", m.averageImage(), read("average_image"));
        }
        List<RefinementStep> steps = m.refine(x, index.get("iterations").getAsInt());
        for (RefinementStep s : steps) {
          r.relative("codes_step" + s.index(), s.code().toTensor(), read("codes_step" + s.index()), CODE_RTOL);
          r.absolute("image_step" + s.index(), s.image(), read("image_step" + s.index()));
        }
      } else {
        LatentCode codes = m.encoder().encode(x);
        r.relative("codes", codes.toTensor(), read("codes"), CODE_RTOL);
        r.absolute("image", m.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL), read("image"));
        JsonObject edits = index.getAsJsonObject("edits");
        if (edits != null && edits.has("interfacegan_factor")) {
          Direction d = Direction.read(dir.resolve("direction.pt"));
          r.relative("edit_interfacegan", codes.edit(d, edits.get("interfacegan_factor").getAsDouble()).toTensor(),
              read("edit_interfacegan"), CODE_RTOL);
          GanSpace pca = GanSpace.read(dir.resolve("pca.pt"));
          List<LatentCode> edited = new ArrayList<>();
          for (int b = 0; b < codes.batchSize(); b++) {
            for (var e : edits.getAsJsonArray("ganspace_directions")) {
              JsonArray a = e.getAsJsonArray();
              edited.add(pca.edit(codes.sample(b), a.get(0).getAsInt(), a.get(1).getAsInt(), a.get(2).getAsInt(),
                  a.get(3).getAsDouble()));
            }
          }
          r.relative("edit_ganspace", LatentCode.concat(edited).toTensor(), read("edit_ganspace"), CODE_RTOL);
        }
      }
    }
    return r;
  }
}
