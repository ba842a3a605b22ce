package dev.psp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for the tests: requests to one server, responses with their JSON and images. */
final class Client {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  Client(PspServer server) {
    this.base = URI.create("http://127.0.0.1:" + server.port());
  }

  /** A response, read whole. */
  record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String contentType() {
      return header("Content-Type");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonElement json() {
      return JsonParser.parseString(text());
    }

    JsonObject object() {
      return json().getAsJsonObject();
    }

    JsonArray array() {
      return json().getAsJsonArray();
    }

    BufferedImage image() {
      return TestSupport.read(body);
    }

    @Override
    public String toString() {
      return status + " " + contentType() + " " + (body.length < 2000 ? text() : body.length + " bytes");
    }
  }

  HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  Response get(String pathAndQuery, String... headers) {
    return send(request(pathAndQuery, headers).GET().build());
  }

  Response post(String pathAndQuery, String contentType, byte[] body, String... headers) {
    return send(postRequest(pathAndQuery, contentType, body, headers));
  }

  CompletableFuture<Response> postAsync(String pathAndQuery, String contentType, byte[] body, String... headers) {
    return http.sendAsync(postRequest(pathAndQuery, contentType, body, headers), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
  }

  /** An image upload: {@code image/png} unless a Content-Type header is given. */
  Response postPng(String pathAndQuery, byte[] png, String... headers) {
    return post(pathAndQuery, "image/png", png, headers);
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest postRequest(String pathAndQuery, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = request(pathAndQuery, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return b.build();
  }

  /** A multipart/form-data body of file parts: name, file name, content type, bytes, repeated. */
  static Multipart multipart(Object... parts) {
    String boundary = "psp-test-boundary-" + System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i += 4) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + parts[i] + "\"; filename=\""
          + parts[i + 1] + "\"\r\nContent-Type: " + parts[i + 2] + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes((byte[]) parts[i + 3]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
  }

  /** A multipart body and its Content-Type. */
  record Multipart(String contentType, byte[] body) {}
}
