package ying.core.registry;

import java.util.regex.Pattern;

/** A checkpoint reference, {@code NAME} (the latest version) or {@code NAME@VERSION}. */
public record ModelRef(String name, String version) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ModelRef {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a model name is letters, digits, '.', '_' or '-', not '" + name + "'");
    }
    if (version != null && !NAME.matcher(version).matches()) {
      throw new IllegalArgumentException("a version is letters, digits, '.', '_' or '-', not '" + version + "'");
    }
  }

  public static ModelRef parse(String ref) {
    int at = ref.indexOf('@');
    return at < 0 ? new ModelRef(ref.trim(), null) : new ModelRef(ref.substring(0, at).trim(), ref.substring(at + 1).trim());
  }

  public boolean latest() {
    return version == null;
  }

  @Override
  public String toString() {
    return version == null ? name : name + "@" + version;
  }
}
