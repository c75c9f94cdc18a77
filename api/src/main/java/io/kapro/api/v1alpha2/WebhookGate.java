package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;
import java.util.Objects;

/** Settings of a Webhook gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookGate {
  @JsonPropertyDescription("https:// (or http://) URL that must answer 2xx.")
  @Required
  @Pattern(Patterns.HTTP_URL)
  private String url;

  @JsonPropertyDescription("Request timeout (Go duration).")
  @Default("10s")
  @Pattern(Patterns.DURATION)
  private String timeout = "10s";

  @JsonPropertyDescription("Extra request headers.")
  private Map<String, String> headers;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  public void setHeaders(Map<String, String> headers) {
    this.headers = headers;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WebhookGate that)) {
      return false;
    }
    return Objects.equals(url, that.url)
        && Objects.equals(timeout, that.timeout)
        && Objects.equals(headers, that.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, timeout, headers);
  }

  @Override
  public String toString() {
    return "WebhookGate{url=" + url + ", timeout=" + timeout + ", headers=" + headers + "}";
  }
}
