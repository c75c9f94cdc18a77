package io.kapro.e2e.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus text endpoint, read as series ({@code name{k="v",…}}) → value. Lookups
 * sum every series of a name whose labels include the given ones.
 */
final class Scrape {
  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Map<Map<String, String>, Double>> series = new LinkedHashMap<>();
  private final String text;

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      series
          .computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
          .put(labels, Double.valueOf(m.group(4)));
    }
  }

  static Scrape of(URI uri) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(uri + " answered " + r.statusCode());
      }
      return new Scrape(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("scraping " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted scraping " + uri, e);
    }
  }

  static Scrape parse(String text) {
    return new Scrape(text);
  }

  boolean has(String name) {
    return series.containsKey(name);
  }

  /**
   * Sum of the series of {@code name} carrying every label pair in {@code labels} (k, v, k, v…).
   */
  double value(String name, String... labels) {
    Map<Map<String, String>, Double> all = series.get(name);
    if (all == null) {
      throw new AssertionError("no series " + name + " in the scrape:\n" + text);
    }
    double sum = 0;
    for (Map.Entry<Map<String, String>, Double> e : all.entrySet()) {
      boolean match = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        match &= labels[i + 1].equals(e.getKey().get(labels[i]));
      }
      if (match) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
