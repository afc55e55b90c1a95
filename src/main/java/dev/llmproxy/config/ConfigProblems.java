package dev.llmproxy.config;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while a config tree is bound, so all of them are reported at once. */
final class ConfigProblems {
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  void error(String path, String message) {
    errors.add(path.isEmpty() ? message : path + ": " + message);
  }

  void warning(String path, String message) {
    warnings.add(path.isEmpty() ? message : path + ": " + message);
  }

  List<String> errors() {
    return errors;
  }

  List<String> warnings() {
    return warnings;
  }
}
