package dev.llmproxy.management;

import dev.llmproxy.config.ConfigException;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.EnvReferences;
import dev.llmproxy.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The one writer of {@code config.yaml}. Every change runs, under the installer's lock, as: read the
 * file; apply the edit to its plain value tree; put back secrets the client sent masked; render it into
 * the file's own node tree (comments, order, {@code ${ENV}} kept); validate the result with the same
 * {@link ConfigLoader} as startup; refuse it if it would take access away ({@link AccessSafeguard}) or change what
 * only a hand edit may ({@link HandOnlySettings}); write it atomically, unless the file or its directory is read-only
 * ({@link ConfigWriteAccess}); install it; hand it to the other instances (with {@code state.store: redis}). A
 * failure at any step leaves both the file and the running config as they were.
 * Content another instance wrote comes in through {@link #adopt}. Thread-safe.
 */
public final class ConfigStore {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);

  /** How often an edit is made again on what a hand edit saved meanwhile, before it gives up with 409. */
  static final int EDIT_ATTEMPTS = 3;

  private final Path file;
  private final ConfigLoader loader;
  private final ConfigInstaller installer;
  private final AtomicFileWriter writer;
  private final ConfigWriteAccess access;
  private final Consumer<String> persisted;

  public ConfigStore(Path file, ConfigLoader loader, ConfigInstaller installer) {
    this(file, loader, installer, text -> {});
  }

  /**
   * @param persisted called, under the installer's lock, with each text a management write persisted and installed
   *     (to publish it to the other instances); must not block
   */
  public ConfigStore(Path file, ConfigLoader loader, ConfigInstaller installer, Consumer<String> persisted) {
    this(file, loader, installer, new AtomicFileWriter(), new ConfigWriteAccess(), persisted);
  }

  ConfigStore(Path file, ConfigLoader loader, ConfigInstaller installer, AtomicFileWriter writer) {
    this(file, loader, installer, writer, new ConfigWriteAccess(), text -> {});
  }

  ConfigStore(Path file, ConfigLoader loader, ConfigInstaller installer, AtomicFileWriter writer,
      Consumer<String> persisted) {
    this(file, loader, installer, writer, new ConfigWriteAccess(), persisted);
  }

  ConfigStore(Path file, ConfigLoader loader, ConfigInstaller installer, AtomicFileWriter writer,
      ConfigWriteAccess access) {
    this(file, loader, installer, writer, access, text -> {});
  }

  ConfigStore(Path file, ConfigLoader loader, ConfigInstaller installer, AtomicFileWriter writer,
      ConfigWriteAccess access, Consumer<String> persisted) {
    this.file = file;
    this.loader = loader;
    this.installer = installer;
    this.writer = writer;
    this.access = access;
    this.persisted = persisted;
  }

  /** Why the file cannot be saved, with the commands that fix it; {@code null} when it can. */
  public String writeProblem() {
    return access.problem(file);
  }

  /** The file's text; {@code null} when it does not exist. */
  public String readText() {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ManagementException(500, "failed to read config", "config.yaml cannot be read: " + e);
    }
  }

  /** A mutable copy of the file as plain values, {@code ${ENV}} references as written; empty when there is no file. */
  public Map<String, Object> read() {
    String text = readText();
    return rootOf(text == null ? null : parse(text).toPlain());
  }

  /** Applies {@code change} to the file's plain values and persists and installs the result. */
  public void edit(Consumer<Map<String, Object>> change) {
    edit(change, true);
  }

  /**
   * As {@link #edit}, but {@code config.yaml.bak} stays as it was: for the gateway's own rewrite of a plaintext secret
   * into its hash, after which a backup of the previous version would be the one file still holding the plaintext.
   */
  public void editLeavingBackup(Consumer<Map<String, Object>> change) {
    edit(change, false);
  }

  private void edit(Consumer<Map<String, Object>> change, boolean backup) {
    for (int attempt = 1; ; attempt++) {
      try {
        editOnce(change, backup);
        return;
      } catch (FileChangedMeanwhile e) {
        if (attempt == EDIT_ATTEMPTS) {
          throw new ManagementException(409, "config_changed", "config.yaml kept changing on disk while it was being "
              + "edited (" + EDIT_ATTEMPTS + " tries); nothing was written; retry");
        }
        // Edited by hand meanwhile: the change is applied again, to what the file holds now.
      }
    }
  }

  private void editOnce(Consumer<Map<String, Object>> change, boolean backup) {
    installer.exclusively(() -> {
      String text = readText();
      YamlDocument document = parse(text == null ? "" : text);
      Object before = document.toPlain();
      Map<String, Object> root = rootOf(before);
      change.accept(root);
      SecretMasking.restore(before, root);
      String updated;
      try {
        updated = document.render(root);
      } catch (YamlNodeMerger.SharedNodeException e) {
        throw new ManagementException(409, "shared_yaml_anchor", e.getMessage());
      } catch (IllegalStateException e) {
        throw new ManagementException(500, "failed to save config",
            "config.yaml could not be edited without changing other content; edit it by hand or PUT /config.yaml");
      }
      if (!updated.equals(text)) {
        persist(updated, backup, text, before);
      }
      return null;
    });
  }

  /** Replaces the whole file with {@code text} (masked secrets sent back, in values or comments, are kept as stored). */
  public void replace(String text) {
    Object tree;
    try {
      tree = ConfigLoader.parseYaml(text, "request body");
    } catch (ConfigException e) {
      throw new ManagementException(400, "invalid_yaml", String.join("; ", e.problems()), e.problems());
    }
    if (tree == null) {
      // Every setting at its default: no client keys and no management, a gateway nobody can manage.
      throw new ManagementException(422, "empty_config", "the body has no settings (it is empty or only comments); "
          + "to empty config.yaml on purpose, edit it by hand (the gateway applies the saved file on its own)");
    }
    installer.exclusively(() -> {
      String current = readText();
      Object stored;
      try {
        stored = current == null ? null : YamlDocument.plainOf(current);
      } catch (YAMLException e) {
        stored = null;
      }
      try {
        persist(CommentSecrets.restore(current, SecretMasking.restoreText(stored, text)), true, current, stored);
      } catch (FileChangedMeanwhile e) {
        throw new ManagementException(409, "config_changed",
            "config.yaml changed on disk while it was being replaced; nothing was written; read it again");
      }
      return null;
    });
  }

  /**
   * @param read what the file held when the change was made ({@code null}: no file); if it holds something else by
   *     the time it would be replaced (saved by hand meanwhile), nothing is written
   * @param readTree {@code read} as plain values, as the caller parsed it ({@code null}: no file, or not YAML)
   * @throws FileChangedMeanwhile then
   */
  private void persist(String text, boolean backup, String read, Object readTree) {
    GatewayConfig config;
    try {
      String source = file.getFileName().toString();
      Object tree = ConfigLoader.parseYaml(text, source);
      refuseNewEnvReferences(tree, readTree);
      config = loader.bind(tree, source, null);
    } catch (ConfigException e) {
      throw new ManagementException(422, "invalid_config", String.join("; ", e.problems()), e.problems());
    }
    List<String> lost = new ArrayList<>(AccessSafeguard.problems(installer.running(), config));
    lost.addAll(HandOnlySettings.problems(installer.running(), config));
    if (!lost.isEmpty()) {
      throw new ManagementException(422, "unsafe_change", String.join("; ", lost), lost);
    }
    try {
      saveIfUnchanged(text, backup, read);
    } catch (ManagementException e) {
      LOG.error("Writing {} failed; file and running config unchanged: {}", file, e.getMessage());
      throw e;
    }
    installer.install(config, text);
    LOG.info("{} updated through the management API", file);
    persisted.accept(text);
  }

  /**
   * Refuses a {@code ${NAME}} that {@code readTree} (the file before) does not use: through a header or a URL sent
   * upstream, a management key would read the host's environment. Checked before validation, whose "not set" would
   * tell which variables exist. References already in the file may stay or move.
   */
  private static void refuseNewEnvReferences(Object tree, Object readTree) {
    Set<String> added = EnvReferences.in(tree);
    added.removeAll(EnvReferences.in(readTree));
    if (!added.isEmpty()) {
      List<String> problems = added.stream().map(name -> "${" + name + "} refers to an environment variable "
          + "config.yaml does not use; references to the environment are added by hand only").toList();
      throw new ManagementException(422, "unsafe_change", String.join("; ", problems), problems);
    }
  }

  /** Writes {@code text} atomically; 503 {@code config_read_only} or 500 when it cannot, the file unchanged. */
  private void save(String text) {
    save(() -> writer.write(file, text));
  }

  /** As {@link #save(String)}, only if the file still holds {@code read}; else {@link FileChangedMeanwhile}. */
  private void saveIfUnchanged(String text, boolean backup, String read) {
    save(() -> writer.writeIfUnchanged(file, text, backup, read));
  }

  /** One of {@link AtomicFileWriter}'s writes of {@link #file}. */
  private interface FileWrite {
    void run() throws IOException;
  }

  private void save(FileWrite write) {
    // Checked first: a file the operator made read-only would still be replaced by the rename.
    refuseWhenReadOnly();
    try {
      write.run();
    } catch (AtomicFileWriter.ChangedMeanwhileException e) {
      LOG.info("{} was saved by hand while a management write was being made; not overwritten", file);
      throw new FileChangedMeanwhile();
    } catch (IOException e) {
      refuseWhenReadOnly();
      throw new ManagementException(500, "failed to save config", "config.yaml was not changed: " + e);
    }
  }

  private void refuseWhenReadOnly() {
    String readOnly = writeProblem();
    if (readOnly != null) {
      throw new ManagementException(503, "config_read_only", readOnly);
    }
  }

  /**
   * Applies {@code text} that a management write persisted on another instance: validated as here, written to this
   * instance's {@code config.yaml} when that differs (atomically, so the files stay identical), and installed
   * unless it already runs (on shared storage the file watch may have been first). Content that does not validate
   * here (a {@code ${ENV}} this instance lacks) is refused with an error in the log; file and running config stay.
   */
  public void adopt(String text) {
    installer.exclusively(() -> {
      GatewayConfig config;
      try {
        config = loader.parse(text, file.getFileName().toString(), file.toAbsolutePath().getParent());
      } catch (ConfigException e) {
        LOG.error("A config written on another instance was not applied here; {} unchanged: {}", file, e.getMessage());
        return null;
      }
      try {
        if (!text.equals(readText())) {
          save(text);
        }
      } catch (ManagementException e) {
        LOG.error("Writing {} failed; a config written on another instance was not applied here: {}", file,
            e.getMessage());
        return null;
      }
      if (!installer.isRunning(text)) {
        installer.install(config, text);
        LOG.info("{} updated by a management write on another instance", file);
      }
      return null;
    });
  }

  /** The file changed on disk between reading it and replacing it; nothing was written. */
  private static final class FileChangedMeanwhile extends RuntimeException {
    FileChangedMeanwhile() {
      super(null, null, false, false);
    }
  }

  private static YamlDocument parse(String text) {
    try {
      return YamlDocument.parse(text);
    } catch (YAMLException e) {
      throw new ManagementException(409, "config_unreadable",
          "config.yaml on disk is not valid YAML; fix it or replace it with PUT /v0/management/config.yaml", List.of());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rootOf(Object plain) {
    if (plain == null) {
      return new LinkedHashMap<>();
    }
    if (!(plain instanceof Map)) {
      throw new ManagementException(409, "config_unreadable", "config.yaml on disk is not a YAML mapping");
    }
    return (Map<String, Object>) YamlDocument.copy(plain);
  }
}
