package ying.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  private static String run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    cl.execute(args);
    return out.toString();
  }

  @Test
  void helpListsTheCommandsFoundOnTheClassPath() {
    String help = run(Main.commandLine(), "--help");
    assertTrue(help.contains("Usage: ying"), help);
    assertTrue(help.contains("synth"), help);
  }

  @Test
  void anErrorNamesItsInnermostCauseWhereTheWrapperSaysNothingOfIt() {
    Exception full = new IllegalStateException("Task failed while writing rows to file:/data",
        new java.io.UncheckedIOException(new java.io.IOException("No space left on device")));
    assertEquals("Task failed while writing rows to file:/data (cause: IOException: No space left on device)",
        Main.describe(full));
    assertEquals("bad --clips", Main.describe(new IllegalArgumentException("bad --clips")));
    // A wrapper without a message of its own speaks with its cause's, once.
    assertEquals("No space left on device", Main.describe(new RuntimeException((String) null,
        new java.io.IOException("No space left on device"))));
  }

  @Test
  void anEngineWithoutAFittingLibtorchSaysWhichBuildFits() {
    // What DJL 0.33 throws when a -Pgpu build starts on a machine where it sees no CUDA.
    Exception e = new RuntimeException("Failed to save pytorch index file",
        new java.io.IOException("Offline mode is enabled."));
    String said = Main.describe(e);
    assertTrue(said.startsWith("Failed to save pytorch index file (cause: IOException: Offline mode is enabled.)"), said);
    assertTrue(said.contains("-Pgpu build's needs CUDA 12.4 or newer") && said.contains("PYTORCH_LIBRARY_PATH"), said);
    assertEquals("bad --clips", Main.describe(new IllegalArgumentException("bad --clips")));
  }

  @Test
  void eachCommandHasItsOwnHelp() {
    String help = run(Main.commandLine(), "synth", "--help");
    for (String option : new String[] {"--count", "--out", "--seed", "--width", "--height", "--fps", "--master"}) {
      assertTrue(help.contains(option), option + " in:\n" + help);
    }
  }

  @Test
  void missingRequiredOptionIsAUsageErrorNotACrash() {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("synth", "--out", "/tmp/x"));
    assertTrue(err.toString().contains("--count"), err.toString());
  }

  @Test
  void confFileSetsDefaultsThatTheCommandLineOverrides(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ying.properties"), "synth.fps = 9\nsynth.seed = 42\n");
    String before = System.getProperty("ying.conf.dir");
    System.setProperty("ying.conf.dir", dir.toString());
    try {
      CommandLine cl = Main.commandLine();
      CommandLine.ParseResult parsed = cl.parseArgs("synth", "--count", "1", "--out", "/tmp/x", "--seed", "7");
      CommandLine.Model.CommandSpec synth = parsed.subcommand().commandSpec();
      assertEquals(9, (Integer) synth.findOption("--fps").getValue(), "from ying.properties");
      assertEquals(7L, (Long) synth.findOption("--seed").getValue(), "the command line wins");
    } finally {
      if (before == null) {
        System.clearProperty("ying.conf.dir");
      } else {
        System.setProperty("ying.conf.dir", before);
      }
    }
  }

  @Test
  void progressLineSaysWhatHowManyRateAndEta() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    Progress p = new Progress("synth", "videos", 10, new java.io.PrintStream(bytes, true), 0);
    p.advance(4);
    String line = bytes.toString().strip();
    assertTrue(line.matches("\\[synth\\] 4/10 videos \\(40%\\), [0-9.]+ videos/s, ETA .*, elapsed .*"), line);
    p.advance(6);
    assertTrue(bytes.toString().contains("10/10 videos (100%)") && bytes.toString().contains("done"), bytes.toString());
  }
}
