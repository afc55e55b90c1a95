package dev.llmproxy.management;

/**
 * What a file's text carries besides its YAML, and the YAML emitter does not keep: a byte order mark, CRLF line
 * ends, and a document start ({@code %YAML} directives, {@code ---}) at its top. A management write of an edited
 * file puts them back, so a Windows-edited file stays a Windows file and a diff shows only the change. Stateless.
 */
final class FileConventions {
  private static final char BOM = '\uFEFF';

  private FileConventions() {}

  /** {@code text} without a byte order mark and with LF line ends: what the YAML layout is worked on. */
  static String plain(String text) {
    String body = withoutBom(text);
    return body.indexOf('\r') < 0 ? body : body.replace("\r\n", "\n");
  }

  /** {@code rendered} (LF line ends), the new text of {@code original}, with the original's conventions. */
  static String keep(String original, String rendered) {
    String body = withoutBom(original);
    String text = rendered;
    String start = documentStart(plain(original));
    if (!start.isEmpty() && !text.startsWith(start) && !text.startsWith("---")) {
      text = start + text;
    }
    if (usesCrlf(body) && text.indexOf('\r') < 0) {
      text = text.replace("\n", "\r\n");
    }
    return body.length() == original.length() ? text : BOM + text;
  }

  private static String withoutBom(String text) {
    return text.isEmpty() || text.charAt(0) != BOM ? text : text.substring(1);
  }

  /** The directive and {@code ---} lines the text opens with, line ends included; empty when it has none. */
  private static String documentStart(String text) {
    int at = 0;
    while (at < text.length() && text.charAt(at) == '%') {
      at = nextLine(text, at);
    }
    if (text.startsWith("---", at) && (text.length() == at + 3 || " \t\r\n".indexOf(text.charAt(at + 3)) >= 0)) {
      int end = nextLine(text, at);
      String marker = text.substring(at, end).stripTrailing();
      // Only a bare marker: content on its line (--- {a: 1}) is the emitter's to write.
      return marker.equals("---") ? text.substring(0, end) : "";
    }
    return "";
  }

  private static int nextLine(String text, int from) {
    int newline = text.indexOf('\n', from);
    return newline < 0 ? text.length() : newline + 1;
  }

  /** Whether most of its lines end with CRLF. */
  private static boolean usesCrlf(String text) {
    int lines = 0;
    int crlf = 0;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lines++;
      if (i > 0 && text.charAt(i - 1) == '\r') {
        crlf++;
      }
    }
    return lines > 0 && crlf * 2 > lines;
  }
}
