package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExcludedModelsTest {
  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "gpt-3.5-turbo, gpt-3.5-turbo, true",
      "gpt-3.5-turbo, gpt-3.5-turbo-16k, false",
      "gpt-4-*, gpt-4-turbo, true",
      "gpt-4-*, gpt-4, false",
      "gpt-4-*, GPT-4-0613, true",
      "*-vision, llama-vision, true",
      "*-vision, vision-llama, false",
      "*embedding*, text-embedding-3-small, true",
      "*embedding*, EMBEDDING, true",
      "*embedding*, embed, false",
      "a*b*c, a-x-b-y-c, true",
      "a*b*c, a-c-b, false",
      "ab*ba, aba, false",
      "*, anything, true"})
  void matchesExactPrefixSuffixAndInfixIgnoringCase(String pattern, String id, boolean expected) {
    assertEquals(expected, ExcludedModels.matchesAny(List.of(pattern), id));
  }
}
