package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enablement, key checks, the loopback rule, trusted proxies and the lockout, on the real WAR. */
class ManagementAuthIT {
  static final String SECRET = "mgmt-secret-for-tests-42";
  /** Usage in memory: nothing here needs durable records, and an embedded database costs each start ~0.7 s. */
  private static final String PROVIDERS = """
      usage:
        store: memory
      openai-compatibility:
        - name: "alpha"
          base-url: "http://127.0.0.1:9/v1"
          models:
            - name: "up"
              alias: "m"
      """;

  @TempDir
  Path dir;
  private GatewayServer gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private ManagementClient start(String management, String key) throws Exception {
    Files.writeString(dir.resolve("config.yaml"), "# test config\n" + management + PROVIDERS);
    gateway = GatewayServer.builder().configDirectory(dir).build().start();
    return new ManagementClient(gateway, key);
  }

  private static String management(String extra) {
    return "remote-management:\n  secret-key: \"" + SECRET + "\"   # hashed on first load\n" + extra;
  }

  @Test
  void managementAnswers404WithEmptyBodyWhenNoSecretIsSet() throws Exception {
    ManagementClient client = start("", SECRET);

    ManagementClient.Reply reply = client.get("api-keys");

    assertEquals(404, reply.status());
    assertEquals("", reply.body());
  }

  @Test
  void plaintextSecretIsReplacedByItsBcryptHashKeepingTheComment() throws Exception {
    ManagementClient client = start(management(""), SECRET);

    String file = Files.readString(dir.resolve("config.yaml"));

    assertFalse(file.contains(SECRET), file);
    assertTrue(file.matches("(?s).*secret-key: \"\\$2a\\$10\\$[./A-Za-z0-9]{53}\" # hashed on first load.*"), file);
    assertTrue(file.startsWith("# test config\n"), file);
    assertEquals(200, client.get("api-keys").status());
  }

  @Test
  void keyIsAcceptedAsBearerOrXManagementKey() throws Exception {
    ManagementClient anonymous = start(management(""), null);

    assertEquals(200, anonymous.send("GET", "debug", null, "Authorization", "Bearer " + SECRET).status());
    assertEquals(200, anonymous.send("GET", "debug", null, "X-Management-Key", SECRET).status());
  }

  @Test
  void missingKeyGives401MissingManagementKey() throws Exception {
    ManagementClient anonymous = start(management(""), null);

    ManagementClient.Reply reply = anonymous.get("debug");

    assertEquals(401, reply.status());
    assertEquals("{\"error\":\"missing management key\"}", reply.body());
  }

  @Test
  void wrongKeyGives401InvalidManagementKey() throws Exception {
    ManagementClient wrong = start(management(""), "not-the-secret");

    ManagementClient.Reply reply = wrong.get("debug");

    assertEquals(401, reply.status());
    assertEquals("{\"error\":\"invalid management key\"}", reply.body());
  }

  @Test
  void aLockedAddressStillGetsInWithTheRightKeyWhichClearsTheCount() throws Exception {
    ManagementClient wrong = start(management(""), "not-the-secret");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, wrong.get("debug").status());
    }
    ManagementClient right = new ManagementClient(gateway, SECRET);

    assertEquals(200, right.get("debug").status(), "the owner is never locked out by someone else's failures");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, wrong.get("debug").status(), "the right key cleared the count");
    }
  }

  @Test
  void failuresFromALockedAddressAreThrottledNotCheckedAtWill() throws Exception {
    ManagementClient wrong = start(management(""), "not-the-secret");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, wrong.get("debug").status());
    }
    ManagementClient.Reply checked = wrong.get("debug");
    ManagementClient.Reply throttled = new ManagementClient(gateway, SECRET).get("debug");

    assertEquals(403, checked.status());
    assertEquals("{\"error\":\"IP banned due to too many failed attempts. Try again in 1s\"}", checked.body());
    assertEquals(403, throttled.status(), "no key is checked before the throttle allows it, not even the right one");
    assertEquals("1", throttled.raw().headers().firstValue("Retry-After").orElse(null));
    Thread.sleep(1000); // what Retry-After asks for

    assertEquals(200, new ManagementClient(gateway, SECRET).get("debug").status());
  }

  @Test
  void keyLessRequestsAndCorsPreflightsDoNotCount() throws Exception {
    ManagementClient anonymous = start(management(""), null);
    for (int i = 0; i < 10; i++) {
      assertEquals(401, anonymous.get("debug").status());
      ManagementClient.Reply preflight = anonymous.send("OPTIONS", "debug", null, "Origin", "https://panel.example",
          "Access-Control-Request-Method", "PUT");
      assertEquals(401, preflight.status());
    }
    ManagementClient wrong = new ManagementClient(gateway, "not-the-secret");

    for (int i = 0; i < 5; i++) {
      assertEquals(401, wrong.get("debug").status(), "failure " + (i + 1) + " is not yet a lockout");
    }
    assertEquals(403, wrong.get("debug").status());
  }

  @Test
  void twoHundredParallelWrongKeysGetFiveKeyChecksBeforeTheLock() throws Exception {
    start(management(""), null);
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      replies.add(http.sendAsync(HttpRequest.newBuilder(gateway.uri("/v0/management/debug"))
          .header("Authorization", "Bearer wrong-" + i).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Map<Integer, Long> statuses = replies.stream().map(CompletableFuture::join)
        .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

    assertEquals(Map.of(401, 5L, 403, 195L), statuses, "401 = a key check that failed before the lock");
  }

  @Test
  void whoamiNamesTheKeyAndTheVersion() throws Exception {
    ManagementClient client = start(management(""), SECRET);

    ManagementClient.Reply reply = client.get("whoami");

    assertEquals(200, reply.status(), reply.body());
    assertEquals("key", reply.json().get("auth").asText());
    assertTrue(reply.json().get("user").isNull(), reply.body());
    assertTrue(reply.json().get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*|development"), reply.body());
    assertEquals("no-store", reply.raw().headers().firstValue("Cache-Control").orElse(""));
  }

  @Test
  void whoamiWithoutAnyKeyIsAskingNotGuessingAndNeverLocksOut() throws Exception {
    ManagementClient anonymous = start(management(""), null);
    for (int i = 0; i < 8; i++) {
      ManagementClient.Reply reply = anonymous.get("whoami");
      assertEquals(401, reply.status());
      assertEquals("missing management key", reply.json().get("error").asText());
    }
    assertEquals(200, new ManagementClient(gateway, SECRET).get("debug").status(), "not locked out");

    ManagementClient wrong = new ManagementClient(gateway, "not-the-secret");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, wrong.get("whoami").status());
    }
    assertEquals(403, wrong.get("whoami").status(), "a wrong key is a guess: counted, and now throttled");
    assertEquals(200, new ManagementClient(gateway, SECRET).get("whoami").status(), "the owner is never locked out");
  }

  @Test
  void lockoutMinutesZeroNeverLocksOut() throws Exception {
    ManagementClient wrong = start(management("  lockout-minutes: 0\n"), "not-the-secret");
    for (int i = 0; i < 6; i++) {
      assertEquals(401, wrong.get("debug").status());
    }

    assertEquals(200, new ManagementClient(gateway, SECRET).get("debug").status());
  }

  @Test
  void aLoopbackPeerRelayingAClientIsAProxyOnThisHostWhoseCallersAreNotLocal() throws Exception {
    ManagementClient client = start(management(""), SECRET);

    ManagementClient.Reply relayed = client.send("GET", "debug", null, "X-Forwarded-For", "127.0.0.1");
    ManagementClient.Reply forwarded = client.send("GET", "debug", null, "Forwarded", "for=127.0.0.1");

    assertEquals(403, relayed.status(), "nginx in front on the same host: no caller of it counts as local");
    assertEquals(403, forwarded.status());
    assertEquals(200, client.get("debug").status(), "the operator's own curl");
  }

  @Test
  void nonLoopbackClientBehindTrustedProxyIsRefusedWithoutAllowRemote() throws Exception {
    ManagementClient client = start(management("  trusted-proxies: [\"127.0.0.1\"]\n"), SECRET);

    ManagementClient.Reply remote = client.send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7");
    ManagementClient.Reply local = client.send("GET", "debug", null, "X-Forwarded-For", "127.0.0.1");

    assertEquals(403, remote.status());
    assertEquals("{\"error\":\"remote management disabled\"}", remote.body());
    assertEquals(200, local.status());
  }

  @Test
  void allowRemoteAcceptsNonLoopbackClientsWithTheKey() throws Exception {
    ManagementClient client = start(management("  allow-remote: true\n  trusted-proxies: [\"127.0.0.0/8\"]\n"), SECRET);

    ManagementClient.Reply withKey = client.send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7");
    ManagementClient.Reply withoutKey = new ManagementClient(gateway, null)
        .send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7");

    assertEquals(200, withKey.status());
    assertEquals(401, withoutKey.status());
  }

  @Test
  void anOperatorOnAnotherMachineCannotShutThemselvesOutThroughTheApi() throws Exception {
    ManagementClient client = start(management("  allow-remote: true\n  trusted-proxies: [\"127.0.0.0/8\"]\n"), SECRET);
    String off = client.get("config.yaml").body().replace("allow-remote: true", "allow-remote: false");

    ManagementClient.Reply remote = client.send("PUT", "config.yaml", off, "X-Forwarded-For", "203.0.113.7");
    assertEquals(422, remote.status(), remote.body());
    assertTrue(remote.body().contains("remote-management.allow-remote: the change refuses management calls from "
        + "other machines, and this one comes from 203.0.113.7"), remote.body());
    assertEquals(200, client.send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7").status(), "still let in");

    ManagementClient.Reply local = client.send("PUT", "config.yaml", off, "X-Forwarded-For", "127.0.0.1");
    assertEquals(200, local.status(), "from this machine it is the operator's call: " + local.body());
    assertEquals(403, client.send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7").status());
  }

  @Test
  void lockoutIsPerClientAddress() throws Exception {
    ManagementClient wrong = start(management("  allow-remote: true\n  trusted-proxies: [\"127.0.0.1\"]\n"),
        "not-the-secret");
    for (int i = 0; i < 6; i++) {
      wrong.send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7");
    }
    ManagementClient right = new ManagementClient(gateway, SECRET);

    assertEquals(403, right.send("GET", "debug", null, "X-Forwarded-For", "203.0.113.7").status(), "throttled");
    assertEquals(200, right.send("GET", "debug", null, "X-Forwarded-For", "198.51.100.9").status());
  }

  @Test
  void behindTrustedProxiesNewForwardedForValuesShareOneLimitInTotal() throws Exception {
    ManagementClient wrong = start(management("  allow-remote: true\n  trusted-proxies: [\"127.0.0.1\"]\n"),
        "not-the-secret");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      statuses.add(wrong.send("GET", "debug", null, "X-Forwarded-For", "203.0.113." + i).status());
    }

    assertEquals(25, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
    assertEquals(List.of(403, 403, 403, 403, 403), statuses.subList(25, 30));
    ManagementClient.Reply locked = wrong.send("GET", "debug", null, "X-Forwarded-For", "198.51.100.1");
    assertEquals("{\"error\":\"management is locked after too many failed attempts. Try again in "
        + locked.raw().headers().firstValue("Retry-After").orElseThrow() + "s\"}", locked.body());
  }
}
