package dev.llmproxy.bench;

import java.nio.charset.StandardCharsets;

/** What every client of the benchmark sends: the gateway's client key and a small chat request. */
final class ChatRequests {
  static final String CLIENT_KEY = "bench-key";

  private ChatRequests() {}

  /** A chat request for {@code model}, one of the gateway's aliases (see {@link GatewayLaunch}). */
  static byte[] body(String model, boolean stream) {
    return ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful "
        + "assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],"
        + "\"temperature\":0.7,\"max_tokens\":64,\"stream\":" + stream + "}").getBytes(StandardCharsets.UTF_8);
  }
}
