package ying.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void printsDoneOnceWhileNothingMovesAndAgainWhenTheTotalGrows() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = new Progress("job", "tasks", 4, new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
    p.update(2);
    p.update(4);
    p.update(4);
    p.update(4);
    p.update(5, 8);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, lines.length, String.join("\n", lines));
    assertTrue(lines[0].startsWith("[job] 2/4 tasks (50%)"), lines[0]);
    assertTrue(lines[1].contains("4/4 tasks (100%)") && lines[1].contains("done"), lines[1]);
    assertTrue(lines[2].contains("5/8 tasks") && lines[2].contains("ETA"), lines[2]);
  }
}
