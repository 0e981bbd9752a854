package ying.core.cli;

import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ying} command line: one subcommand per job, found on the class path. */
@Command(
    name = "ying",
    mixinStandardHelpOptions = true,
    version = "ying 0.1.0",
    description = "Raw video to a text-to-video model. Each command runs as a Spark job (embedded local[*] unless --master).",
    footer = {"", "Run 'ying <command> --help' for a command's options."})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code ying args...} and returns the exit code, for tests and for {@link #main}. */
  public static int run(String... args) {
    System.setProperty("java.awt.headless", "true");
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    return commandLine().execute(args);
  }

  /** Names of the commands on the class path. */
  public static java.util.Set<String> commandNames() {
    return commandLine().getSubcommands().keySet();
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    StreamSupport.stream(ServiceLoader.load(YingCommand.class).spliterator(), false)
        .sorted(Comparator.comparing(c -> c.getClass().getAnnotation(Command.class).name()))
        .forEach(cl::addSubcommand);
    cl.setDefaultValueProvider(new ConfDefaults());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("ying " + cmd.getCommandName() + ": " + describe(e));
      if (Boolean.getBoolean("ying.stacktrace")) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(set JAVA_OPTS=-Dying.stacktrace=true for the stack trace)");
      }
      return 1;
    });
    return cl;
  }

  /**
   * The first message in {@code e}'s chain, and the innermost cause's where it adds something: Spark
   * wraps a full disk or a denied write in "task failed while writing rows", which alone says nothing.
   */
  static String describe(Throwable e) {
    Throwable top = e;
    while (top.getCause() != null && top.getCause() != top && top.getMessage() == null) {
      top = top.getCause();
    }
    String message = top.getMessage() == null ? top.toString() : top.getMessage();
    Throwable root = top;
    for (int depth = 0; depth < 64 && root.getCause() != null && root.getCause() != root; depth++) {
      root = root.getCause();
    }
    if (root != top && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    if (message.contains(DJL_OFFLINE)) {
      message += NO_FITTING_LIBTORCH;
    }
    return message;
  }

  /** How DJL says it found no libtorch in the jars for this machine and may not download one. */
  static final String DJL_OFFLINE = "Offline mode is enabled";

  static final String NO_FITTING_LIBTORCH = ". No libtorch in these jars fits this machine: the default build's runs on"
      + " any x86-64 CPU; a -Pgpu build's needs CUDA 12.4 or newer that DJL can see (libcudart on the library path)"
      + " and is refused on a machine without it; or point PYTORCH_LIBRARY_PATH at a local libtorch"
      + " (README, GPU executors)";
}
