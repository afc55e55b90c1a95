package dev.llmproxy.management;

import java.util.List;

/**
 * A management request that cannot be served, with the status and the flat body CLIProxyAPI's control
 * panels read: {@code {"error":"<code or reason>","message":"<detail>","problems":[...]}} ({@code
 * message} and {@code problems} only when there is something to add). Unchecked; mapped by
 * {@link ManagementExceptionMapper}.
 */
public final class ManagementException extends RuntimeException {
  private final int status;
  private final String error;
  private final List<String> problems;

  public ManagementException(int status, String error, String message, List<String> problems) {
    super(message == null ? error : message, null, false, false);
    this.status = status;
    this.error = error;
    this.problems = List.copyOf(problems);
  }

  public ManagementException(int status, String error, String message) {
    this(status, error, message, List.of());
  }

  /** 400 {@code {"error":"invalid body","message":...}}: the request itself is malformed. */
  public static ManagementException invalidBody(String message) {
    return new ManagementException(400, "invalid body", message);
  }

  /** 404 {@code {"error":"item not found"}}. */
  public static ManagementException itemNotFound(String message) {
    return new ManagementException(404, "item not found", message);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  /** The detail, or {@code null} when {@link #error()} says it all. */
  public String detail() {
    return getMessage().equals(error) ? null : getMessage();
  }

  public List<String> problems() {
    return problems;
  }
}
