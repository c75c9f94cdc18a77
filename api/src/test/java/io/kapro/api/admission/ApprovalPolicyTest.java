package io.kapro.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableList;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hub chart's ValidatingAdmissionPolicy for Approvals ({@code
 * charts/hub/files/approval-policy.yaml}, rendered by {@code templates/approval-policy.yaml}),
 * evaluated with Google's CEL for Java against admission requests ({@code
 * admission/approval-requests.yaml}). No kube-apiserver can run here, so the API server's part is
 * played as it is documented: every validation must evaluate to true for the request to be
 * admitted, the first false one's messageExpression (or message) is the answer, and the {@code
 * authorizer} variable answers from RBAC rules (Kubernetes' authz CEL library: group → resource →
 * namespace → name → check(verb) → allowed()).
 */
class ApprovalPolicyTest {
  static final Path POLICY =
      Path.of("").toAbsolutePath().getParent().resolve("charts/hub/files/approval-policy.yaml");
  private static final YAMLMapper YAML = new YAMLMapper();

  private static final CelType AUTHORIZER =
      OpaqueType.create("kubernetes.authorization.Authorizer");
  private static final CelType GROUP_CHECK =
      OpaqueType.create("kubernetes.authorization.GroupCheck");
  private static final CelType RESOURCE_CHECK =
      OpaqueType.create("kubernetes.authorization.ResourceCheck");
  private static final CelType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

  /** One case of the fixture file. */
  record Case(
      String name,
      String operation,
      String namespace,
      String user,
      List<Map<String, Object>> grants,
      Map<String, Object> object,
      Map<String, Object> oldObject,
      boolean allowed,
      String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** An RBAC rule, as the test's authorizer reads it. */
  record Rule(
      List<String> verbs,
      List<String> apiGroups,
      List<String> resources,
      List<String> resourceNames,
      String namespace) {
    static Rule of(Map<String, Object> m) {
      return new Rule(
          list(m, "verbs"),
          list(m, "apiGroups"),
          list(m, "resources"),
          list(m, "resourceNames"),
          (String) m.get("namespace"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> m, String key) {
      return m.get(key) == null ? List.of() : (List<String>) m.get(key);
    }

    /** RBAC's matching: '*' matches anything; no resourceNames means every name. */
    boolean allows(ResourceCheck c, String verb) {
      String resource =
          c.subresource() == null ? c.resource() : c.resource() + "/" + c.subresource();
      return matches(verbs, verb)
          && matches(apiGroups, c.group())
          && matches(resources, resource)
          && (resourceNames.isEmpty() || resourceNames.contains(c.name()))
          && (namespace == null || namespace.equals(c.namespace()));
    }

    private static boolean matches(List<String> allowed, String value) {
      return allowed.contains("*") || allowed.contains(value);
    }
  }

  record Authorizer(List<Rule> rules) {}

  record GroupCheck(Authorizer authorizer, String group) {}

  record ResourceCheck(
      Authorizer authorizer,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name) {
    ResourceCheck with(String sub, String ns, String n) {
      return new ResourceCheck(authorizer, group, resource, sub, ns, n);
    }
  }

  record Decision(boolean allowed) {}

  static Stream<Case> cases() throws IOException {
    try (InputStream in =
        ApprovalPolicyTest.class.getResourceAsStream("/admission/approval-requests.yaml")) {
      Map<String, List<Case>> file = YAML.readValue(in, new TypeReference<>() {});
      return file.get("cases").stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theApiServerWouldAnswerAsTheCaseSays(Case c) throws Exception {
    Map<String, Object> policy = YAML.readValue(POLICY.toFile(), new TypeReference<>() {});
    @SuppressWarnings("unchecked")
    List<Map<String, String>> validations = (List<Map<String, String>>) policy.get("validations");
    assertThat(validations).isNotEmpty();

    Map<String, Object> vars = new HashMap<>();
    vars.put("object", c.object());
    vars.put("oldObject", c.oldObject());
    vars.put(
        "request",
        Map.of(
            "operation",
            c.operation(),
            "namespace",
            c.namespace(),
            "userInfo",
            Map.of("username", c.user())));
    vars.put(
        "authorizer",
        new Authorizer(
            c.grants() == null ? List.of() : c.grants().stream().map(Rule::of).toList()));

    String denied = null;
    for (Map<String, String> v : validations) {
      Object ok = eval(v.get("expression"), vars);
      assertThat(ok).as(v.get("expression")).isInstanceOf(Boolean.class);
      if (!(Boolean) ok) {
        denied =
            v.get("messageExpression") != null
                ? (String) eval(v.get("messageExpression"), vars)
                : v.get("message");
        assertThat(v.get("reason")).isEqualTo("Forbidden");
        break;
      }
    }
    if (c.allowed()) {
      assertThat(denied).as("denied with").isNull();
    } else {
      assertThat(denied).as("the case must be denied").isNotNull().contains(c.message());
    }
  }

  private static Object eval(String expression, Map<String, Object> vars) throws Exception {
    CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
    return RUNTIME.createProgram(ast).eval(vars);
  }

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addVar("request", SimpleType.DYN)
          .addVar("authorizer", AUTHORIZER)
          .addFunctionDeclarations(
              member("group", "authorizer_group", AUTHORIZER, GROUP_CHECK, SimpleType.STRING),
              member("resource", "group_resource", GROUP_CHECK, RESOURCE_CHECK, SimpleType.STRING),
              member(
                  "subresource",
                  "resource_subresource",
                  RESOURCE_CHECK,
                  RESOURCE_CHECK,
                  SimpleType.STRING),
              member(
                  "namespace",
                  "resource_namespace",
                  RESOURCE_CHECK,
                  RESOURCE_CHECK,
                  SimpleType.STRING),
              member("name", "resource_name", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
              member("check", "resource_check", RESOURCE_CHECK, DECISION, SimpleType.STRING),
              CelFunctionDecl.newFunctionDeclaration(
                  "allowed",
                  CelOverloadDecl.newMemberOverload("decision_allowed", SimpleType.BOOL, DECISION)))
          .build();

  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .addFunctionBindings(
              CelFunctionBinding.from(
                  "authorizer_group", Authorizer.class, String.class, GroupCheck::new),
              CelFunctionBinding.from(
                  "group_resource",
                  GroupCheck.class,
                  String.class,
                  (g, r) -> new ResourceCheck(g.authorizer(), g.group(), r, null, null, null)),
              CelFunctionBinding.from(
                  "resource_subresource",
                  ResourceCheck.class,
                  String.class,
                  (r, s) -> r.with(s, r.namespace(), r.name())),
              CelFunctionBinding.from(
                  "resource_namespace",
                  ResourceCheck.class,
                  String.class,
                  (r, ns) -> r.with(r.subresource(), ns, r.name())),
              CelFunctionBinding.from(
                  "resource_name",
                  ResourceCheck.class,
                  String.class,
                  (r, n) -> r.with(r.subresource(), r.namespace(), n)),
              CelFunctionBinding.from(
                  "resource_check",
                  ResourceCheck.class,
                  String.class,
                  (r, verb) ->
                      new Decision(
                          r.authorizer().rules().stream().anyMatch(rule -> rule.allows(r, verb)))),
              CelFunctionBinding.from("decision_allowed", Decision.class, Decision::allowed))
          .build();

  private static CelFunctionDecl member(
      String function, String overload, CelType on, CelType result, CelType arg) {
    return CelFunctionDecl.newFunctionDeclaration(
        function, CelOverloadDecl.newMemberOverload(overload, result, ImmutableList.of(on, arg)));
  }
}
