package ying.trainer.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/** Parquet tables on local disk, read with parquet-hadoop (not Spark), for the integration tests' checks. */
public final class ParquetTables {
  private ParquetTables() {}

  /** Every Parquet file under {@code root}, sorted; fails the test when there is none. */
  public static List<Path> parquetFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> files = s.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
      assertFalse(files.isEmpty(), "Parquet files under " + root);
      return files;
    }
  }

  public static HadoopInputFile input(Path f) throws IOException {
    return HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration());
  }

  public static long rows(List<Path> files) throws IOException {
    long n = 0;
    for (Path f : files) {
      try (ParquetFileReader reader = ParquetFileReader.open(input(f))) {
        n += reader.getRecordCount();
      }
    }
    return n;
  }

  public static List<String> columns(Path f) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(input(f))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      return schema.getFields().stream().map(Type::getName).toList();
    }
  }

  public static List<Group> groups(Path f) throws IOException {
    List<Group> out = new ArrayList<>();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
        new org.apache.hadoop.fs.Path(f.toUri())).withConf(new Configuration()).build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        out.add(g);
      }
    }
    return out;
  }

  public static List<String> stringColumn(List<Path> files, String column) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      for (Group g : groups(f)) {
        out.add(g.getString(column, 0));
      }
    }
    return out;
  }

  /**
   * Every row of the table under {@code root} as one line, sorted: its partition folders (e.g.
   * {@code caption_model=captioner@3}) and each column but {@code ignored} as name=value, binary
   * values as their SHA-256. Two tables with the same rows give equal lists, whatever their file
   * names, file count or row order.
   */
  public static List<String> sortedRows(Path root, Set<String> ignored) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : parquetFiles(root)) {
      String partition = root.relativize(f.getParent()).toString();
      for (Group g : groups(f)) {
        out.add(partition + " " + text(g, ignored));
      }
    }
    out.sort(null);
    return out;
  }

  private static String text(Group g, Set<String> ignored) {
    StringBuilder b = new StringBuilder("{");
    List<Type> fields = g.getType().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Type t = fields.get(i);
      if (ignored.contains(t.getName())) {
        continue;
      }
      b.append(t.getName()).append('=');
      int n = g.getFieldRepetitionCount(i);
      for (int k = 0; k < n; k++) {
        b.append(k == 0 ? "" : ",").append(value(g, i, k, t, ignored));
      }
      b.append(i + 1 < fields.size() ? "; " : "");
    }
    return b.append('}').toString();
  }

  private static String value(Group g, int field, int index, Type t, Set<String> ignored) {
    if (!t.isPrimitive()) {
      return text(g.getGroup(field, index), ignored);
    }
    PrimitiveType p = t.asPrimitiveType();
    boolean bytes = p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        || p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
    if (bytes && !(t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)) {
      try {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(g.getBinary(field, index).getBytes()));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return g.getValueToString(field, index);
  }
}
