package ying.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Every file Ying reads or writes goes through here, as a Hadoop {@link FileSystem} URI, so a local
 * path, {@code file://}, {@code hdfs://} and {@code s3a://} behave alike.
 */
public final class Storage {
  private final Configuration conf;

  public Storage(Configuration conf) {
    this.conf = conf;
  }

  /** Local-filesystem storage with Hadoop's defaults, for code that runs outside Spark. */
  public static Storage local() {
    return new Storage(new Configuration());
  }

  public Configuration conf() {
    return conf;
  }

  private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:");

  /**
   * Normalises a user-given location: a bare path becomes an absolute {@code file:} location. It
   * stays unescaped, as Hadoop's {@code Path} expects, so spaces, {@code #} and {@code ?} in file
   * names are read literally.
   */
  public static String normalise(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("empty location");
    }
    if (!SCHEME.matcher(uri).find()) {
      return "file:" + Path.of(uri).toAbsolutePath().normalize();
    }
    toUri(uri);
    return uri;
  }

  public static String join(String base, String child) {
    return base.endsWith("/") ? base + child : base + "/" + child;
  }

  /** The last path segment of a URI: what a file is called. */
  public static String fileName(String uri) {
    String trimmed = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  private static URI toUri(String uri) {
    try {
      return new org.apache.hadoop.fs.Path(uri).toUri();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid location: " + uri, e);
    }
  }

  public FileSystem fs(String uri) {
    try {
      return new org.apache.hadoop.fs.Path(normalise(uri)).getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the file system of " + uri, e);
    }
  }

  private static org.apache.hadoop.fs.Path hpath(String uri) {
    return new org.apache.hadoop.fs.Path(normalise(uri));
  }

  public boolean exists(String uri) throws IOException {
    return fs(uri).exists(hpath(uri));
  }

  /** Status of a file, or null when there is nothing at {@code uri}. */
  public FileStatus statusOrNull(String uri) throws IOException {
    try {
      return fs(uri).getFileStatus(hpath(uri));
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /**
   * Reads a file. On the local file system the bytes are read as they are, without Hadoop's
   * {@code .NAME.crc} side file: when git (or anything else) rewrites a file that Hadoop once wrote,
   * such as a registry's LATEST, the old side file stays behind and every checksummed read of the
   * new content fails. Checkpoints carry their own sha256 in their manifests.
   */
  public InputStream open(String uri) throws IOException {
    FileSystem fs = fs(uri);
    if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checked) {
      fs = checked.getRawFileSystem();
    }
    return fs.open(hpath(uri));
  }

  public OutputStream create(String uri) throws IOException {
    return fs(uri).create(hpath(uri), true);
  }

  public void delete(String uri) throws IOException {
    fs(uri).delete(hpath(uri), true);
  }

  public void mkdirs(String uri) throws IOException {
    fs(uri).mkdirs(hpath(uri));
  }

  public String readString(String uri) throws IOException {
    try (InputStream in = open(uri)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Writes a small text file so readers never see half of it: temp name, then rename. */
  public void writeStringAtomically(String uri, String text) throws IOException {
    String tmp = temporarySibling(uri);
    try (OutputStream out = create(tmp)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    commit(tmp, uri);
  }

  /**
   * Recursively lists the files under {@code uri} (the file itself when it is one), sorted. Walks with
   * {@code listStatus}: Hadoop's recursive {@code listFiles} builds a LocatedFileStatus per file,
   * which on the local file system forks a process to read permissions (about 17 ms a file).
   */
  public List<String> listFiles(String uri) throws IOException {
    return new ArrayList<>(listFileSizes(uri).keySet());
  }

  /** {@link #listFiles} with each file's length in bytes, from the same listing. */
  public java.util.SortedMap<String, Long> listFileSizes(String uri) throws IOException {
    java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
    FileSystem fs = fs(uri);
    org.apache.hadoop.fs.Path root = hpath(uri);
    FileStatus top = fs.getFileStatus(root);
    if (top.isFile()) {
      out.put(root.toString(), top.getLen());
    } else {
      addFiles(fs, root, out);
    }
    return out;
  }

  private static void addFiles(FileSystem fs, org.apache.hadoop.fs.Path dir, java.util.Map<String, Long> out)
      throws IOException {
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.isDirectory()) {
        addFiles(fs, st.getPath(), out);
      } else {
        out.put(st.getPath().toString(), st.getLen());
      }
    }
  }

  /**
   * Gives FFmpeg a local file to read: a local URI is used in place, anything else is copied into a
   * temporary file that {@link LocalFile#close()} removes. FFmpeg wants random access for seeking,
   * which object stores only give through ranged GETs; one sequential copy is cheaper.
   */
  public LocalFile localCopy(String uri) throws IOException {
    org.apache.hadoop.fs.Path p = hpath(uri);
    if ("file".equals(p.toUri().getScheme())) {
      return new LocalFile(Path.of(p.toUri()), false);
    }
    Path tmp = Files.createTempFile("ying-in-", "-" + sanitisedSuffix(p.getName()));
    try (InputStream in = fs(uri).open(p)) {
      Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return new LocalFile(tmp, true);
  }

  /**
   * Puts a finished local file at {@code uri} so that a reader sees either nothing or the whole file:
   * upload under a temporary name beside the target, then rename. A rerun that writes the same name
   * replaces the file rather than adding a second one.
   */
  public void putAtomically(Path local, String uri) throws IOException {
    String tmp = temporarySibling(uri);
    FileSystem fs = fs(uri);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), hpath(tmp));
    commit(tmp, uri);
  }

  private void commit(String tmp, String uri) throws IOException {
    FileSystem fs = fs(uri);
    org.apache.hadoop.fs.Path target = hpath(uri);
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(hpath(tmp), target)) {
      fs.delete(hpath(tmp), false);
      throw new IOException("could not move " + tmp + " to " + uri);
    }
  }

  private static String temporarySibling(String uri) {
    String name = fileName(uri);
    String dir = uri.substring(0, uri.length() - name.length());
    return dir + "._tmp-" + UUID.randomUUID() + "-" + name;
  }

  private static String sanitisedSuffix(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.length() > 40 ? cleaned.substring(cleaned.length() - 40) : cleaned;
  }

  /** A file on local disk that may be a temporary copy. */
  public static final class LocalFile implements AutoCloseable {
    private final Path path;
    private final boolean temporary;

    LocalFile(Path path, boolean temporary) {
      this.path = path;
      this.temporary = temporary;
    }

    public Path path() {
      return path;
    }

    @Override
    public void close() {
      if (temporary) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // A leftover temp file is harmless; the OS tmp cleaner takes it.
        }
      }
    }
  }
}
