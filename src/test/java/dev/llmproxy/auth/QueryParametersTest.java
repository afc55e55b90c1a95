package dev.llmproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class QueryParametersTest {

  @Test
  void findsTheFirstValueOfANameDecoded() {
    assertEquals("sse", QueryParameters.first("alt=sse&key=k", "alt"));
    assertEquals("a b/+", QueryParameters.first("x=1&key=a+b%2F%2B&key=second", "key"));
  }

  @Test
  void aNameWithoutValueIsEmptyAndAnAbsentOneNull() {
    assertEquals("", QueryParameters.first("alt&key=k", "alt"));
    assertNull(QueryParameters.first("monkey=k&keys=2", "key"));
    assertNull(QueryParameters.first(null, "key"));
    assertNull(QueryParameters.first("", "key"));
  }

  @Test
  void aBrokenEscapeIsTakenAsSent() {
    assertEquals("%zz", QueryParameters.first("key=%zz", "key"));
  }
}
