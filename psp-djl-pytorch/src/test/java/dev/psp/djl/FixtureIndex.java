package dev.psp.djl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The module cases of the shared fixtures' {@code index.json}, with their tensors. */
final class FixtureIndex {
  private final JsonObject cases;

  private FixtureIndex(JsonObject cases) {
    this.cases = cases;
  }

  static FixtureIndex load() {
    try {
      JsonObject root = JsonParser.parseString(Files.readString(Fixtures.path("index.json")))
          .getAsJsonObject();
      return new FixtureIndex(root.getAsJsonObject("cases"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> caseNames() {
    return new ArrayList<>(cases.keySet());
  }

  String constructor(String name) {
    return cases.getAsJsonObject(name).get("constructor").getAsString();
  }

  /** One state_dict entry as the fixture lists it. */
  record Key(String key, long[] shape, String dtype, String npy) {}

  List<Key> stateDict(String name) {
    JsonElement sd = cases.getAsJsonObject(name).get("state_dict");
    List<Key> out = new ArrayList<>();
    if (sd == null || sd.isJsonNull()) {
      return out;
    }
    for (JsonElement e : sd.getAsJsonObject().getAsJsonArray("keys")) {
      JsonObject k = e.getAsJsonObject();
      long[] shape = new long[k.getAsJsonArray("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = k.getAsJsonArray("shape").get(i).getAsLong();
      }
      out.add(new Key(k.get("key").getAsString(), shape, k.get("dtype").getAsString(),
          k.get("npy").getAsString()));
    }
    return out;
  }

  Map<String, TensorData> params(String name) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Key k : stateDict(name)) {
      out.put(k.key(), read(k.npy()));
    }
    return out;
  }

  /** One forward call of a case. */
  record Run(String name, String call, Map<String, TensorData> inputs,
      Map<String, TensorData> outputs, Map<String, TensorData> intermediates) {}

  List<String> runNames(String name) {
    List<String> out = new ArrayList<>();
    for (JsonElement r : cases.getAsJsonObject(name).getAsJsonArray("runs")) {
      out.add(r.getAsJsonObject().get("name").getAsString());
    }
    return out;
  }

  Run run(String name, String run) {
    for (JsonElement e : cases.getAsJsonObject(name).getAsJsonArray("runs")) {
      JsonObject r = e.getAsJsonObject();
      if (r.get("name").getAsString().equals(run)) {
        return new Run(run, r.get("call").getAsString(), tensors(r.getAsJsonObject("inputs")),
            tensors(r.getAsJsonObject("outputs")), tensors(r.getAsJsonObject("intermediates")));
      }
    }
    throw new IllegalArgumentException("no run " + run + " in case " + name);
  }

  private static Map<String, TensorData> tensors(JsonObject files) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    if (files != null) {
      for (String k : files.keySet()) {
        out.put(k, read(files.getAsJsonObject(k).get("file").getAsString()));
      }
    }
    return out;
  }

  private static TensorData read(String relative) {
    try {
      return Npy.read(Fixtures.path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
