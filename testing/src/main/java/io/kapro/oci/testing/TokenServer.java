package io.kapro.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kapro.agent.testing.TestCa;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A minimal Docker registry token server (the "bearer token flow"): on 127.0.0.1, checks HTTP basic
 * credentials and issues ES256 JWTs with an {@code x5c} header that the distribution registry
 * verifies against the signer certificate ({@code auth.token.rootcertbundle}). Grants every
 * requested action on every requested repository to the one known user.
 */
public final class TokenServer implements AutoCloseable {
  public static final String ISSUER = "kapro-test-token-issuer";
  public static final String SERVICE = "kapro-test-registry";

  private final HttpServer server;
  private final TestCa signer;
  private final String username;
  private final String password;
  private final AtomicInteger issued = new AtomicInteger();

  private TokenServer(String username, String password) throws IOException {
    this.username = username;
    this.password = password;
    this.signer = TestCa.create("kapro-test-token-signer");
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  public static TokenServer start(String username, String password) {
    try {
      return new TokenServer(username, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the token server", e);
    }
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** Writes the signer certificate (the registry's {@code rootcertbundle}). */
  public Path writeRootCertBundle(Path file) throws IOException {
    return signer.writeCertificate(file);
  }

  /** How many tokens were issued (to prove the flow was used). */
  public int tokensIssued() {
    return issued.get();
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(auth)) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"kapro-test-token\"");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      if (query != null) {
        for (String kv : query.split("&")) {
          if (kv.startsWith("scope=")) {
            scopes.add(URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
          }
        }
      }
      String jwt = jwt(scopes);
      issued.incrementAndGet();
      byte[] body =
          ("{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":300}")
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private String jwt(List<String> scopes) throws GeneralSecurityException {
    StringBuilder access = new StringBuilder("[");
    for (String scope : scopes) {
      String[] p = scope.split(":");
      if (p.length != 3) {
        continue;
      }
      if (access.length() > 1) {
        access.append(',');
      }
      access
          .append("{\"type\":\"")
          .append(p[0])
          .append("\",\"name\":\"")
          .append(p[1])
          .append("\",\"actions\":[");
      String[] actions = p[2].split(",");
      for (int i = 0; i < actions.length; i++) {
        access
            .append(i > 0 ? "," : "")
            .append('"')
            .append(actions[i].equals("*") ? "*" : actions[i])
            .append('"');
      }
      access.append("]}");
    }
    access.append(']');
    long now = Instant.now().getEpochSecond();
    String header =
        "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"x5c\":[\""
            + Base64.getEncoder().encodeToString(signer.certificate().getEncoded())
            + "\"]}";
    String claims =
        "{\"iss\":\""
            + ISSUER
            + "\",\"sub\":\""
            + username
            + "\",\"aud\":\""
            + SERVICE
            + "\",\"exp\":"
            + (now + 300)
            + ",\"nbf\":"
            + (now - 60)
            + ",\"iat\":"
            + now
            + ",\"jti\":\""
            + issued.get()
            + "-"
            + now
            + "\",\"access\":"
            + access
            + "}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer.privateKey());
    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64.encodeToString(rawSignature(s.sign()));
  }

  /** JWS ES256 wants R||S (32 bytes each), not ASN.1 DER. */
  private static byte[] rawSignature(byte[] der) {
    ASN1Sequence seq = ASN1Sequence.getInstance(der);
    byte[] out = new byte[64];
    copy(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), out, 0);
    copy(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), out, 32);
    return out;
  }

  private static void copy(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, off + 32 - len, len);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
