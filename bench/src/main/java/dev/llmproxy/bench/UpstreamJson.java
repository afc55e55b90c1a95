package dev.llmproxy.bench;

import java.nio.charset.StandardCharsets;

/**
 * The fake upstream's fixed answers, in a class of their own so that {@link FloorServlet} can be deployed
 * into Tomcat with nothing of Jetty on its class path.
 */
final class UpstreamJson {
  static final byte[] CHAT_COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\","
      + "\"created\":1700000000,\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"Hello! How can I help you today?\"},\"logprobs\":null,\"finish_reason\":"
      + "\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":9,\"total_tokens\":18},"
      + "\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.US_ASCII);
  static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private UpstreamJson() {}
}
