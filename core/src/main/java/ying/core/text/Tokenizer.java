package ying.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word-level tokenizer built from training captions: lower-cased words and punctuation marks, plus
 * pad, begin, end and unknown (so words no caption used still encode). Shared by the captioner and
 * the DiT's text encoder; saved beside the weights, since the ids mean nothing without it.
 */
public final class Tokenizer {
  public static final int PAD = 0;
  public static final int BOS = 1;
  public static final int EOS = 2;
  public static final int UNK = 3;
  private static final List<String> SPECIAL = List.of("<pad>", "<bos>", "<eos>", "<unk>");
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}']+|[.,;:!?]");

  private final List<String> vocab;
  private final Map<String, Integer> ids = new HashMap<>();

  private Tokenizer(List<String> vocab) {
    this.vocab = List.copyOf(vocab);
    for (int i = 0; i < vocab.size(); i++) {
      ids.put(vocab.get(i), i);
    }
  }

  /** A vocabulary of every token in {@code captions}, sorted so the same captions give the same ids. */
  public static Tokenizer build(Iterable<String> captions) {
    TreeSet<String> words = new TreeSet<>();
    for (String c : captions) {
      words.addAll(split(c));
    }
    List<String> vocab = new ArrayList<>(SPECIAL);
    vocab.addAll(words);
    return new Tokenizer(vocab);
  }

  static List<String> split(String caption) {
    List<String> out = new ArrayList<>();
    if (caption == null) {
      return out;
    }
    Matcher m = TOKEN.matcher(caption.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  public int size() {
    return vocab.size();
  }

  /** {@code BOS, tokens..., EOS}, cut to {@code maxTokens} (keeping the end marker). */
  public int[] encode(String caption, int maxTokens) {
    List<String> words = split(caption);
    int n = Math.min(words.size(), maxTokens - 2);
    int[] out = new int[n + 2];
    out[0] = BOS;
    for (int i = 0; i < n; i++) {
      out[i + 1] = ids.getOrDefault(words.get(i), UNK);
    }
    out[n + 1] = EOS;
    return out;
  }

  /** Text from ids, stopping at EOS: sentences capitalised, punctuation attached. */
  public String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    boolean sentenceStart = true;
    for (int t : tokens) {
      if (t == EOS) {
        break;
      }
      if (t == BOS || t == PAD || t < 0 || t >= vocab.size()) {
        continue;
      }
      String w = vocab.get(t);
      if (w.length() == 1 && ".,;:!?".contains(w)) {
        sb.append(w);
        sentenceStart = ".!?".contains(w);
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(sentenceStart && !w.isEmpty() ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
      sentenceStart = false;
    }
    return sb.toString();
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("vocab", vocab)));
  }

  public static Tokenizer load(Path file) throws IOException {
    var node = new ObjectMapper().readTree(file.toFile()).get("vocab");
    List<String> vocab = new ArrayList<>();
    node.forEach(n -> vocab.add(n.asText()));
    if (vocab.size() < SPECIAL.size() || !vocab.subList(0, SPECIAL.size()).equals(SPECIAL)) {
      throw new IOException(file + " is not a Ying tokenizer");
    }
    return new Tokenizer(vocab);
  }
}
