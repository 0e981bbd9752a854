package ying.trainer;

import java.util.Iterator;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Cycling through a re-creatable sequence (a shard reader) for as long as training wants batches. */
public final class Batches {
  private Batches() {}

  /**
   * The split to measure a run on: val, or train for a dataset built without a val split (the
   * manifests say which). Lists shard files; reads none.
   */
  public static String evalSplit(Storage storage, String data) {
    return new ShardReader(storage, data, DatasetLayout.VAL, null, 1, -1, 1).shardsByBucket().isEmpty()
        ? DatasetLayout.TRAIN : DatasetLayout.VAL;
  }

  public static <T> Iterator<T> endless(Supplier<Iterator<T>> fresh) {
    return endless(fresh, "the training split is empty");
  }

  /** As {@link #endless(Supplier)}; {@code whenEmpty} is the error when a fresh pass yields nothing. */
  public static <T> Iterator<T> endless(Supplier<Iterator<T>> fresh, String whenEmpty) {
    return new Iterator<>() {
      private Iterator<T> current = fresh.get();

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public T next() {
        if (!current.hasNext()) {
          current = fresh.get();
          if (!current.hasNext()) {
            throw new IllegalStateException(whenEmpty);
          }
        }
        return current.next();
      }
    };
  }

  /** The items of {@code items} that pass {@code keep}, lazily. */
  public static <T> Iterator<T> filter(Iterator<T> items, Predicate<T> keep) {
    return new Iterator<>() {
      private T next = advance();

      private T advance() {
        while (items.hasNext()) {
          T item = items.next();
          if (keep.test(item)) {
            return item;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public T next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        T item = next;
        next = advance();
        return item;
      }
    };
  }
}
