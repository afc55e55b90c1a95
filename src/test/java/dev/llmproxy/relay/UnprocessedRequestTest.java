package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.metrics.AttemptOutcome;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;
import org.junit.jupiter.api.Test;

class UnprocessedRequestTest {

  @Test
  void aRefusedStreamMayGoAgain() {
    UnprocessedRequest request = new UnprocessedRequest(0);
    request.onFailedBeforeHead(new H2StreamResetException(H2Error.REFUSED_STREAM, "refused"), HttpCoreContext.create());
    assertEquals(AttemptOutcome.REFUSED_STREAM, request.repeatableAs());
  }

  @Test
  void aRequestNeverSentMayGoAgainAsAStaleConnection() {
    UnprocessedRequest request = new UnprocessedRequest(UnprocessedRequest.MAX_REPEATS - 1);
    request.onFailedBeforeHead(new RequestNotExecutedException(), HttpCoreContext.create());
    assertEquals(AttemptOutcome.STALE_CONNECTION, request.repeatableAs());
  }

  @Test
  void anUnprocessedRequestRepeatedTheMostTimesDoesNotGoAgain() {
    UnprocessedRequest request = new UnprocessedRequest(UnprocessedRequest.MAX_REPEATS);
    request.onFailedBeforeHead(new RequestNotExecutedException(), HttpCoreContext.create());
    assertNull(request.repeatableAs());
    assertEquals(UnprocessedRequest.MAX_REPEATS, request.repeats());
  }

  @Test
  void aRequestTheUpstreamMayHaveProcessedDoesNotGoAgain() {
    UnprocessedRequest timedOut = new UnprocessedRequest(0);
    timedOut.onFailedBeforeHead(new SocketTimeoutException(), HttpCoreContext.create());
    assertNull(timedOut.repeatableAs());
    assertNull(new UnprocessedRequest(0).repeatableAs(), "no failure before the head");
  }
}
