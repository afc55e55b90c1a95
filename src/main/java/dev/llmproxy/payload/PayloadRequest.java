package dev.llmproxy.payload;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a payload rule may ask of a request besides its body.
 *
 * @param models the names a rule's {@code models[].name} is matched against: the model asked of the upstream, the
 *     configured model the client named (its prefix included) and, when the client added a thinking suffix, the name
 *     as sent; kept lower-cased, since rules match them without regard to case
 * @param fromProtocol the client's dialect in CLIProxyAPI's words: {@code openai}, {@code responses}, {@code claude},
 *     {@code gemini}
 * @param header a client request header by name, or {@code null}
 */
public record PayloadRequest(List<String> models, String fromProtocol, Function<String, String> header) {
  public PayloadRequest {
    models = models.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
  }
}
