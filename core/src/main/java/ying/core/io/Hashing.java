package ying.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256, the one content hash Ying records: checkpoints, dataset shards, input videos. */
public final class Hashing {
  private Hashing() {}

  /** Hex sha256 of everything {@code in} holds; closes it. */
  public static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest md = newSha256();
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /** sha256 of a string's UTF-8 bytes. */
  public static byte[] sha256(String s) {
    return newSha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh SHA-256 digest, for content fed to it piece by piece. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
