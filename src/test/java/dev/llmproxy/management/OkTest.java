package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OkTest {
  @Test
  void anIndexIsANumberOfZeroOrMoreAroundWhichSpacesDoNotCount() {
    assertEquals(0, Ok.parseIndex("0", "missing index"));
    assertEquals(7, Ok.parseIndex(" 7 ", "missing index"));
  }

  @Test
  void noIndexIs400WithTheMissingWordingCliProxyApiUses() {
    ManagementException e = assertThrows(ManagementException.class, () -> Ok.parseIndex(null, "missing index or value"));
    ManagementException blank = assertThrows(ManagementException.class, () -> Ok.parseIndex(" ", "missing index"));

    assertEquals(400, e.status());
    assertEquals("missing index or value", e.error());
    assertEquals(null, e.detail());
    assertEquals("missing index", blank.error());
  }

  @Test
  void anIndexThatIsNotANumberIs400SayingSo() {
    ManagementException e = assertThrows(ManagementException.class, () -> Ok.parseIndex("abc", "missing index"));

    assertEquals(400, e.status());
    assertEquals("invalid parameter", e.error());
    assertEquals("index must be a number of 0 or more, not 'abc'", e.detail());
  }

  @Test
  void aNegativeIndexIs400SayingSo() {
    ManagementException e = assertThrows(ManagementException.class, () -> Ok.parseIndex("-1", "missing index"));

    assertEquals("invalid parameter", e.error());
    assertEquals("index must be a number of 0 or more, not '-1'", e.detail());
  }
}
