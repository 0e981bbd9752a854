package ying.captioner.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import ying.core.io.Storage;

/**
 * What {@code --input} names: a folder (searched recursively for video files), a glob, a manifest
 * file (one URI per line, {@code #} comments), or a single video.
 */
final class VideoInputs {
  private VideoInputs() {}

  static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts",
      "flv", "wmv", "3gp", "ogv", "y4m");
  static final Set<String> MANIFEST_EXTENSIONS = Set.of("txt", "lst", "list");

  static List<String> list(Storage storage, String input) throws IOException {
    String uri = Storage.normalise(input);
    List<String> out = new ArrayList<>();
    if (uri.matches(".*[*?\\[{].*")) {
      FileStatus[] matches = storage.fs(uri).globStatus(new Path(uri));
      if (matches != null) {
        for (FileStatus st : matches) {
          addAll(storage, st, out);
        }
      }
    } else {
      FileStatus st = storage.statusOrNull(uri);
      if (st == null) {
        throw new IllegalArgumentException("--input " + input + " does not exist");
      }
      if (st.isFile() && MANIFEST_EXTENSIONS.contains(extension(st.getPath().getName()))) {
        for (String line : storage.readString(uri).split("\n")) {
          String l = line.strip();
          if (!l.isEmpty() && !l.startsWith("#")) {
            out.add(Storage.normalise(l));
          }
        }
      } else if (st.isFile()) {
        out.add(st.getPath().toString());
      } else {
        addAll(storage, st, out);
      }
    }
    return out.stream().distinct().sorted().toList();
  }

  private static void addAll(Storage storage, FileStatus st, List<String> out) throws IOException {
    if (st.isFile()) {
      out.add(st.getPath().toString());
      return;
    }
    for (String f : storage.listFiles(st.getPath().toString())) {
      String name = Storage.fileName(f);
      if (!name.startsWith(".") && !name.startsWith("_") && VIDEO_EXTENSIONS.contains(extension(name))) {
        out.add(f);
      }
    }
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
