package ying.core.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console progress for long work: what, how many of how many, rate and ETA. Prints at most every
 * couple of seconds, one line each, so it reads well in a terminal and in a captured log alike.
 */
public final class Progress {
  private final String what;
  private final String unit;
  private long total;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final long intervalNanos;
  private long lastPrint;
  private long done;

  public Progress(String what, String unit, long total, PrintStream out, double intervalSeconds) {
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.lastPrint = startNanos;
  }

  public Progress(String what, String unit, long total) {
    this(what, unit, total, System.err, 2.0);
  }

  public synchronized void advance(long n) {
    update(done + n);
  }

  /** Sets finished units and a total learnt on the way; the total only grows. */
  public synchronized void update(long finished, long newTotal) {
    total = Math.max(total, newTotal);
    update(finished);
  }

  /**
   * Sets the count of finished units; prints when enough time has passed or when all are done, and
   * once only for "done" while nothing moves (the caller may still be busy with other work).
   */
  public synchronized void update(long finished) {
    boolean changed = finished != done;
    done = finished;
    total = Math.max(total, done); // work found on the way (a later Spark stage) grows the total
    long now = System.nanoTime();
    if (changed && done >= total || done < total && now - lastPrint >= intervalNanos) {
      lastPrint = now;
      out.println(line(now));
    }
  }

  String line(long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    String eta = done >= total ? "done" : rate > 0 ? "ETA " + duration((total - done) / rate) : "ETA ?";
    double pct = total > 0 ? 100.0 * done / total : 100;
    return String.format(Locale.ROOT, "[%s] %d/%d %s (%.0f%%), %.2f %s/s, %s, elapsed %s", what, done, total, unit,
        pct, rate, unit, eta, duration(seconds));
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
    return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
  }
}
