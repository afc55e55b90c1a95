package dev.llmproxy.dialect.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.error.WebappJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A thinking suffix's effort written into a client's pass-through body: chat completions' top-level
 * {@code reasoning_effort}, the Responses API's {@code reasoning.effort}. Any such field the client sent is replaced
 * (the suffix named the effort), a {@code null} effort takes it away. The body is rebuilt from its top-level members,
 * each copied byte for byte, with the effort's member first; only the whitespace between members is lost. Runs only
 * for a model with a suffix, on a body {@link ClientRequestBody#parse} accepted, so it may read the body again.
 * Stateless.
 */
final class ReasoningEffortRewrite {
  private static final JsonFactory JSON = WebappJson.newFactory();
  private static final ObjectMapper TREES = WebappJson.newMapper();

  private ReasoningEffortRewrite() {}

  /** One top-level member: its name and where it is, from the name's opening quote to the value's end. */
  private record Member(String name, int start, int valueStart, int end) {}

  /** {@code body} with its top-level {@code reasoning_effort} set to {@code effort}, or removed for {@code null}. */
  static byte[] chat(byte[] body, String effort) {
    String first = effort == null ? null : "\"reasoning_effort\":\"" + effort + "\"";
    return rebuilt(body, members(body), first, m -> m.name().equals("reasoning_effort"));
  }

  /**
   * {@code body} with {@code reasoning.effort} set to {@code effort}, or removed for {@code null}; the client's other
   * {@code reasoning} settings ({@code summary}) stay.
   */
  static byte[] responses(byte[] body, String effort) {
    List<Member> members = members(body);
    ObjectNode reasoning = TREES.createObjectNode();
    for (Member m : members) {
      if (m.name().equals("reasoning")) {
        JsonNode value = readValue(body, m);
        reasoning = value.isObject() ? (ObjectNode) value : TREES.createObjectNode();
      }
    }
    if (effort == null) {
      reasoning.remove("effort");
    } else {
      reasoning.put("effort", effort);
    }
    String first = reasoning.isEmpty() ? null : "\"reasoning\":" + reasoning;
    return rebuilt(body, members, first, m -> m.name().equals("reasoning"));
  }

  private static List<Member> members(byte[] body) {
    List<Member> members = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken(); // the object's start: parse() accepted this body
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        String name = p.currentName();
        p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        p.finishToken();
        members.add(new Member(name, start, valueStart, (int) p.currentLocation().getByteOffset()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return members;
  }

  private static JsonNode readValue(byte[] body, Member m) {
    try {
      return TREES.readTree(body, m.valueStart(), m.end() - m.valueStart());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] rebuilt(byte[] body, List<Member> members, String first, Predicate<Member> replaced) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
    out.write('{');
    boolean empty = true;
    if (first != null) {
      out.writeBytes(first.getBytes(StandardCharsets.UTF_8));
      empty = false;
    }
    for (Member m : members) {
      if (replaced.test(m)) {
        continue;
      }
      if (!empty) {
        out.write(',');
      }
      out.write(body, m.start(), m.end() - m.start());
      empty = false;
    }
    out.write('}');
    return out.toByteArray();
  }
}
