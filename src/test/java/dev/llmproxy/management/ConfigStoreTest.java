package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigStoreTest {
  private static final ConfigLoader LOADER = new ConfigLoader(
      Map.of("CLIENT_KEY_CI", "ci-key-from-env", "ALPHA_BACKUP_KEY", "sk-backup-from-env")::get);

  @TempDir
  Path dir;
  Path file;
  String original;
  final RecordingInstaller installer = new RecordingInstaller();

  /** Records what would go live; runs {@link #exclusively} inline. */
  static final class RecordingInstaller implements ConfigInstaller {
    final List<String> installedTexts = new ArrayList<>();
    final List<GatewayConfig> installed = new ArrayList<>();
    /** What runs before anything is installed here; {@code null}: nothing. */
    GatewayConfig runningAtStart;

    @Override
    public <T> T exclusively(Supplier<T> action) {
      synchronized (this) {
        return action.get();
      }
    }

    @Override
    public void install(GatewayConfig config, String text) {
      installed.add(config);
      installedTexts.add(text);
    }

    @Override
    public GatewayConfig running() {
      return installed.isEmpty() ? runningAtStart : installed.get(installed.size() - 1);
    }

    @Override
    public boolean isRunning(String text) {
      return !installedTexts.isEmpty() && installedTexts.get(installedTexts.size() - 1).equals(text);
    }
  }

  @BeforeEach
  void writeConfig() throws IOException {
    file = dir.resolve("config.yaml");
    original = YamlDocumentTest.fixture("commented-config.yaml");
    Files.writeString(file, original);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anEditIsValidatedPersistedAndInstalledWithTheSameText() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.edit(root -> ((List<Object>) root.get("api-keys")).add("client-key-new-1234"));

    String written = Files.readString(file);
    assertEquals(List.of(written), installer.installedTexts);
    assertEquals(List.of("client-key-0001-aaaa", "ci-key-from-env", "client-key-new-1234"),
        installer.installed.get(0).apiKeys().stream().map(dev.llmproxy.config.ClientKeyConfig::key).toList());
    assertTrue(written.contains("\"${CLIENT_KEY_CI}\"       # CI runner, from the environment"), written);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aHandEditSavedDuringAManagementWriteIsKeptAndTheChangeMadeAgainOnIt() throws IOException {
    int[] handEdits = {0};
    AtomicFileWriter racing = new AtomicFileWriter(step -> {
      if (step == AtomicFileWriter.Step.REPLACE && handEdits[0]++ == 0) {
        // An editor saves the file between the gateway's read and its rename.
        Files.writeString(file, Files.readString(file) + "# saved by hand\n");
      }
    });
    ConfigStore store = new ConfigStore(file, LOADER, installer, racing);

    store.edit(root -> ((List<Object>) root.get("api-keys")).add("client-key-new-1234"));

    String written = Files.readString(file);
    assertTrue(written.contains("# saved by hand"), "the hand edit was overwritten: " + written);
    assertTrue(written.contains("client-key-new-1234"), written);
    assertEquals(List.of(written), installer.installedTexts);
  }

  @Test
  void aFileThatKeepsChangingDuringAnEditIsA409AndKeepsTheLastHandEdit() throws IOException {
    AtomicFileWriter racing = new AtomicFileWriter(step -> {
      if (step == AtomicFileWriter.Step.REPLACE) {
        Files.writeString(file, Files.readString(file) + "# again\n");
      }
    });
    ConfigStore store = new ConfigStore(file, LOADER, installer, racing);

    ManagementException e = assertThrows(ManagementException.class, () -> store.edit(root -> root.put("debug", true)));

    assertEquals(409, e.status());
    assertTrue(Files.readString(file).endsWith("# again\n".repeat(ConfigStore.EDIT_ATTEMPTS)));
    assertTrue(installer.installed.isEmpty());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aWriteMayNotReadTheHostsEnvironmentThroughANewReference() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException e = assertRefusedAsUnsafe(original, "${HOME} refers to an environment variable config.yaml "
        + "does not use", () -> store.edit(root -> ((List<Object>) root.get("api-keys")).add("${HOME}-${PATH}")));

    assertTrue(e.getMessage().contains("${HOME}") && e.getMessage().contains("${PATH}"), e.getMessage());
  }

  @Test
  @SuppressWarnings("unchecked")
  void referencesTheFileUsesAlreadyMayStay() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.edit(root -> ((List<Object>) root.get("api-keys")).add("client-key-new-1234"));

    String written = Files.readString(file);
    assertTrue(written.contains("${CLIENT_KEY_CI}") && written.contains("client-key-new-1234"), written);
  }

  @Test
  void anEditTheLoaderRejectsChangesNeitherTheFileNorTheRunningConfig() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException e = assertThrows(ManagementException.class, () -> store.edit(root -> root.put("request-retry", -2)));

    assertEquals(422, e.status());
    assertEquals(List.of("request-retry: -2 is out of range; expected 0 to 100"), e.problems());
    assertEquals(original, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }

  @ParameterizedTest
  @EnumSource(value = AtomicFileWriter.Step.class, names = {"KEEP_BACKUP", "SYNC_DIRECTORY"},
      mode = EnumSource.Mode.EXCLUDE)
  void aWriteFailingAtAnyStepLeavesFileAndRunningConfigAsTheyWere(AtomicFileWriter.Step step) throws IOException {
    AtomicFileWriter failing = new AtomicFileWriter(s -> {
      if (s == step) {
        throw new IOException("disk full at " + s);
      }
    });
    ConfigStore store = new ConfigStore(file, LOADER, installer, failing);
    Path bak = Files.writeString(dir.resolve("config.yaml.bak"), "debug: true   # the backup before\n");

    ManagementException e = assertThrows(ManagementException.class, () -> store.edit(root -> root.put("debug", true)));

    assertEquals(500, e.status());
    assertEquals("failed to save config", e.error());
    assertEquals(original, Files.readString(file));
    assertEquals("debug: true   # the backup before\n", Files.readString(bak));
    assertTrue(installer.installed.isEmpty());
  }

  @Test
  void aWriteRefusedBecauseTheDirectoryIsReadOnlyIs503SayingWhatToRun() throws IOException {
    AtomicFileWriter denied = new AtomicFileWriter(s -> {
      throw new java.nio.file.AccessDeniedException(dir.resolve(".config.yaml.1.tmp").toString());
    });
    ConfigWriteAccess readOnly = new ConfigWriteAccess(path -> false,
        Map.of("user.name", "tomcat", "catalina.base", "/var/lib/tomcat10")::get);
    ConfigStore store = new ConfigStore(file, LOADER, installer, denied, readOnly);

    ManagementException e = assertThrows(ManagementException.class, () -> store.edit(root -> root.put("debug", true)));

    String realDir = dir.toRealPath().toString();
    assertEquals(503, e.status());
    assertEquals("config_read_only", e.error());
    assertEquals(realDir + " is not writable by user 'tomcat', so management cannot save config.yaml. Run: sudo "
        + "chown -R tomcat: " + realDir + " ; under systemd (Debian's tomcat10 unit keeps /etc read-only) also run "
        + "'sudo systemctl edit tomcat10', add the line 'ReadWritePaths=" + realDir + "/' under [Service], then "
        + "'sudo systemctl restart tomcat10'", e.getMessage());
    assertEquals(original, Files.readString(file));
  }

  @Test
  void aFileMadeReadOnlyIsNotReplacedEvenWhereTheRenameCouldReplaceIt() throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException e = assertThrows(ManagementException.class, () -> store.edit(root -> root.put("debug", true)));

    assertEquals(503, e.status());
    assertEquals("config_read_only", e.error());
    assertTrue(e.getMessage().endsWith("To allow management writes, run: chmod u+w " + file.toRealPath()),
        e.getMessage());
    assertEquals(original, Files.readString(file));
    assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(dir.resolve("config.yaml.bak")));
    assertTrue(installer.installed.isEmpty());
  }

  @Test
  void aPlaintextSecretIsNotSaidToBeHashedWhenTheFileCannotBeSaved() throws IOException {
    Files.writeString(file, "remote-management:\n  secret-key: plain-secret-1\n");
    ConfigWriteAccess readOnly = new ConfigWriteAccess(path -> false, Map.of("user.name", "tomcat")::get);
    ConfigStore store = new ConfigStore(file, LOADER, installer, new AtomicFileWriter(), readOnly);

    try (LogCapture log = new LogCapture()) {
      new SecretKeyHasher(store).hashPlaintextSecret();

      assertEquals("remote-management:\n  secret-key: plain-secret-1\n", Files.readString(file));
      assertEquals(List.of(), log.lines().stream().filter(l -> l.contains("replaced by its bcrypt hash")).toList());
      assertTrue(log.lines().stream().anyMatch(l -> l.contains("stays in plaintext")
          && l.contains("sudo chown -R tomcat: ")), log.lines().toString());
    }
  }

  @Test
  void hashingThePlaintextSecretLeavesNoBackupHoldingIt() throws IOException {
    Path bak = Files.writeString(dir.resolve("config.yaml.bak"), "debug: true   # the backup before\n");
    Files.writeString(file, "remote-management:\n  secret-key: plain-secret-1\n");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    new SecretKeyHasher(store).hashPlaintextSecret();

    assertTrue(Files.readString(file).contains("secret-key: $2"), Files.readString(file));
    assertEquals("debug: true   # the backup before\n", Files.readString(bak));
    store.edit(root -> root.put("debug", true));
    assertTrue(Files.readString(bak).contains("secret-key: $2"), Files.readString(bak));
  }

  @Test
  void aNoOpEditWritesNothing() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.edit(root -> root.put("debug", false));

    assertTrue(installer.installed.isEmpty());
    assertTrue(!Files.exists(dir.resolve("config.yaml.bak")));
  }

  @Test
  void replacingWithUnparsableYamlIs400AndWithAnInvalidConfigIs422() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException yaml = assertThrows(ManagementException.class, () -> store.replace("a: [b\n"));
    ManagementException config = assertThrows(ManagementException.class, () -> store.replace("debug: maybe\n"));

    assertEquals(400, yaml.status());
    assertEquals("invalid_yaml", yaml.error());
    assertEquals(422, config.status());
    assertEquals(List.of("debug: expected true or false but found 'maybe'"), config.problems());
    assertEquals(original, Files.readString(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  \n", "# every setting removed\n# nothing left\n", "---\n"})
  void replacingWithAnEmptyOrCommentOnlyDocumentIs422AndChangesNothing(String text) throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException e = assertThrows(ManagementException.class, () -> store.replace(text));

    assertEquals(422, e.status());
    assertEquals("empty_config", e.error());
    assertEquals("the body has no settings (it is empty or only comments); to empty config.yaml on purpose, edit it "
        + "by hand (the gateway applies the saved file on its own)", e.getMessage());
    assertEquals(original, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }

  @Test
  void anEditThatRemovesTheLastClientKeyIs422AndChangesNothing() throws Exception {
    installer.runningAtStart = LOADER.parse(original, "config.yaml");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException e = assertRefusedAsUnsafe(original, "api-keys: the change leaves no client key",
        () -> store.edit(root -> root.remove("api-keys")));

    assertTrue(e.getMessage().contains("edit config.yaml by hand"), e.getMessage());
  }

  @Test
  void replacingWithAFileWithoutTheManagementSecretIs422AndChangesNothing() throws Exception {
    String managed = original + "remote-management:\n  secret-key: \"mgmt-secret-1\"\n";
    Files.writeString(file, managed);
    installer.runningAtStart = LOADER.parse(managed, "config.yaml");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    assertRefusedAsUnsafe(managed, "remote-management.secret-key: the change leaves it empty",
        () -> store.replace(original));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "usage:\n  store: jdbc\n  jdbc-url: \"jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://127.0.0.1:1/x.sql'\"\n",
      "usage:\n  store: jdbc\n  datasource: \"ldap://127.0.0.1:1/x\"\n",
      "usage:\n  store: memory\n"})
  void aWriteThatChangesTheUsageDatabaseIs422AndChangesNothing(String usage) throws Exception {
    installer.runningAtStart = LOADER.parse(original, "config.yaml");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    assertRefusedAsUnsafe(original, "usage: the change sets another usage database",
        () -> store.replace(original + usage));
  }

  /**
   * Runs {@code write} and checks it was refused as unsafe: 422 {@code unsafe_change} whose first problem starts with
   * {@code problem}, the file still {@code fileBefore}, nothing installed.
   */
  private ManagementException assertRefusedAsUnsafe(String fileBefore, String problem, Executable write)
      throws IOException {
    ManagementException e = assertThrows(ManagementException.class, write);
    assertEquals(422, e.status());
    assertEquals("unsafe_change", e.error());
    assertTrue(e.problems().get(0).startsWith(problem), e.problems().toString());
    assertEquals(fileBefore, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
    return e;
  }

  @Test
  void aWriteThatKeepsTheUsageDatabaseIsSaved() throws Exception {
    String withUsage = original + "usage:\n  store: jdbc\n  jdbc-url: \"jdbc:postgresql://db:5432/usage\"\n";
    Files.writeString(file, withUsage);
    installer.runningAtStart = LOADER.parse(withUsage, "config.yaml");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.replace(withUsage + "  queue-capacity: 500\n");

    assertEquals(500, installer.running().usage().queueCapacity());
  }

  @Test
  void theSameEditIsSavedWhenTheRunningGatewayIsOpenAlready() throws Exception {
    installer.runningAtStart = LOADER.parse("debug: true\n", "config.yaml");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.edit(root -> root.remove("api-keys"));

    assertTrue(installer.installed.get(0).isOpenAccess());
  }

  @Test
  void aFileThatIsNoLongerValidYamlMakesEditsConflict() throws IOException {
    Files.writeString(file, "api-keys: [broken\n");
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    ManagementException e = assertThrows(ManagementException.class, () -> store.edit(root -> root.put("debug", true)));

    assertEquals(409, e.status());
    assertEquals("config_unreadable", e.error());
  }

  @Test
  void aWriteIsHandedOnAfterItIsPersistedAndInstalledButARefusedOneIsNot() throws IOException {
    List<String> handedOn = new ArrayList<>();
    ConfigStore store = new ConfigStore(file, LOADER, installer, handedOn::add);

    store.edit(root -> root.put("debug", true));
    assertThrows(ManagementException.class, () -> store.edit(root -> root.put("request-retry", -2)));

    assertEquals(List.of(Files.readString(file)), handedOn);
    assertEquals(installer.installedTexts, handedOn);
  }

  @Test
  void contentWrittenOnAnotherInstanceIsWrittenHereAndInstalledWithoutBeingHandedOnAgain() throws IOException {
    List<String> handedOn = new ArrayList<>();
    ConfigStore store = new ConfigStore(file, LOADER, installer, handedOn::add);
    String other = original.replace("debug: false", "debug: true");

    store.adopt(other);
    store.adopt(other);

    assertEquals(other, Files.readString(file));
    assertEquals(List.of(other), installer.installedTexts, "installed once: the second time it already runs");
    assertTrue(installer.installed.get(0).debug());
    assertEquals(List.of(), handedOn);
  }

  @Test
  void contentAlreadyOnDiskIsOnlyInstalled() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.adopt(original);

    assertEquals(List.of(original), installer.installedTexts);
    assertTrue(!Files.exists(dir.resolve("config.yaml.bak")), "nothing written");
  }

  @Test
  void contentWrittenOnAnotherInstanceIsNotWrittenOverAFileMadeReadOnlyHere() throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.adopt(original.replace("debug: false", "debug: true"));

    assertEquals(original, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }

  @Test
  void contentThatDoesNotValidateHereLeavesFileAndRunningConfig() throws IOException {
    ConfigStore store = new ConfigStore(file, LOADER, installer);

    store.adopt("api-keys: [\"${NOT_SET_HERE}\"]\n");
    store.adopt("api-keys: [broken\n");

    assertEquals(original, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }
}
