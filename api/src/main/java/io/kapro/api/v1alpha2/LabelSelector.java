package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Selects objects by their labels (Kubernetes label selector semantics). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelSelector {
  @JsonPropertyDescription("Labels that must all be present with these values.")
  private Map<String, String> matchLabels;

  @JsonPropertyDescription("Requirements that must all hold.")
  private List<LabelSelectorRequirement> matchExpressions;

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  public List<LabelSelectorRequirement> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<LabelSelectorRequirement> matchExpressions) {
    this.matchExpressions = matchExpressions;
  }

  /**
   * Whether {@code labels} satisfy this selector. An empty selector matches everything.
   *
   * @param labels the object's labels (null counts as none)
   * @return true when every matchLabels entry and every requirement holds
   */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (matchLabels != null) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!Objects.equals(actual.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    if (matchExpressions != null) {
      for (LabelSelectorRequirement r : matchExpressions) {
        if (!r.matches(actual)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LabelSelector that)) {
      return false;
    }
    return Objects.equals(matchLabels, that.matchLabels)
        && Objects.equals(matchExpressions, that.matchExpressions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(matchLabels, matchExpressions);
  }

  @Override
  public String toString() {
    return "LabelSelector{matchLabels="
        + matchLabels
        + ", matchExpressions="
        + matchExpressions
        + "}";
  }
}
