package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStreamResetException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.junit.jupiter.api.Test;

class UpstreamResponseConsumerTest {
  private final List<Integer> updates = new ArrayList<>();
  private final CapacityChannel channel = updates::add;
  private IntSupplier room = () -> 0;
  private final UpstreamResponseConsumer consumer = new UpstreamResponseConsumer(new UpstreamListener() {
    @Override
    public void onUpstreamHead(HttpResponse upstreamResponse) {}

    @Override
    public void onUpstreamData(ByteBuffer data) {}

    @Override
    public void onUpstreamEnd() {}

    @Override
    public void onUpstreamFailed(Exception cause) {}

    @Override
    public int upstreamCapacity() {
      return room.getAsInt();
    }
  });

  @Test
  void roomIsGrantedAtOnceWhenThereIsSome() throws IOException {
    room = () -> 8192;
    consumer.updateCapacity(channel);
    consumer.grant(100);
    assertEquals(List.of(8192), updates, "a later drain grants nothing more: the upstream was not held back");
  }

  @Test
  void aHeldBackUpstreamResumesOnceAtTheNextDrain() throws IOException {
    consumer.updateCapacity(channel);
    assertEquals(List.of(), updates);
    consumer.grant(4096);
    consumer.grant(4096);
    assertEquals(List.of(4096), updates);
  }

  @Test
  void aDrainWhileTheReactorLooksForRoomIsNeverLost() throws IOException {
    // The client drains after the reactor marked itself waiting and before it read "no room": the drain's
    // grant must resume the upstream, or nothing ever would (the writer drains only what it was sent).
    room = () -> {
      consumer.grant(4096);
      return 0;
    };
    consumer.updateCapacity(channel);
    assertEquals(List.of(4096), updates);
  }

  @Test
  void aDrainThatFreedRoomBeforeTheReactorLookedResumesFromTheReactor() throws IOException {
    room = () -> 2048;
    consumer.grant(4096); // nothing held back yet: nothing to resume
    consumer.updateCapacity(channel);
    assertEquals(List.of(2048), updates);
  }

  @Test
  void abortingAHeldBackHttp1ExchangeAsksForTheBytesThatEndIt() throws Exception {
    consumer.consumeResponse(response(HttpVersion.HTTP_1_1), new BasicEntityDetails(-1, null), null, noCallback());
    consumer.updateCapacity(channel);
    consumer.abort();
    assertEquals(List.of(1), updates, "without a read, the cancelled exchange would hold its connection");
    assertThrows(IOException.class, () -> consumer.consume(ByteBuffer.wrap(new byte[] {'x'})));
  }

  @Test
  void anAbortBeforeTheReactorIsHeldBackStillEndsTheExchange() throws Exception {
    consumer.consumeResponse(response(HttpVersion.HTTP_1_1), new BasicEntityDetails(-1, null), null, noCallback());
    consumer.abort(); // nothing held back yet: nothing to resume
    assertEquals(List.of(), updates);
    consumer.updateCapacity(channel); // the client side has no room, and never will
    assertEquals(List.of(1), updates, "an aborted exchange is never held back");
  }

  @Test
  void abortingAHeldBackHttp2StreamAsksForTheBytesAtWhichItIsResetAlone() throws Exception {
    consumer.consumeResponse(response(HttpVersion.HTTP_2), new BasicEntityDetails(-1, null), null, noCallback());
    consumer.updateCapacity(channel);
    consumer.abort();
    assertEquals(List.of(1), updates, "a held-back stream would never send the bytes that reset it");
    // HttpCore resets the stream alone on this exception (RST_STREAM CANCEL), where any other closes the connection.
    assertThrows(HttpStreamResetException.class, () -> consumer.consume(ByteBuffer.wrap(new byte[] {'x'})));
  }

  private static HttpResponse response(HttpVersion version) {
    BasicHttpResponse response = new BasicHttpResponse(200);
    response.setVersion(version);
    return response;
  }

  @SuppressWarnings("unchecked")
  private static FutureCallback<Void> noCallback() {
    return org.mockito.Mockito.mock(FutureCallback.class);
  }
}
