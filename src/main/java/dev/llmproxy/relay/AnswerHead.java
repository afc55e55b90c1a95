package dev.llmproxy.relay;

import java.util.List;
import org.apache.hc.core5.http.Header;

/**
 * The head of a successful (2xx) upstream answer, as the client side needs it. Immutable.
 *
 * @param contentType the upstream's content type, or {@code null}
 * @param stream whether it is an event stream
 * @param passedThrough upstream headers the client may see ({@code passthrough-headers}); empty unless enabled
 */
record AnswerHead(int status, String contentType, boolean stream, List<Header> passedThrough) {
  AnswerHead {
    passedThrough = List.copyOf(passedThrough);
  }
}
