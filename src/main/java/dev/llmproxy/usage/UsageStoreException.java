package dev.llmproxy.usage;

/** A usage store could not do what was asked (the database is down, a migration failed). */
public final class UsageStoreException extends RuntimeException {
  public UsageStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
