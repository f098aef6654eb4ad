package io.github.pb4j.jelly.testing;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.Unpersistable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Generates random Jelly values from a seed: nested containers of every data-model type, with
 * shared containers and cycles (through lists, dicts and tuples), in the canonical Java types
 * the unjellier produces (so a round trip must give back the same types).
 *
 * <p>{@link Profile#PYTHON} keeps to values that survive a trip through Python unchanged: dict keys
 * and set elements whose equality is the same in both languages (no floats, bools or decimals,
 * which Python equates with ints), and no {@link Unpersistable} (Twisted turns it into a marker
 * with a different text).
 *
 * <pre>{@code
 * RandomJellyValues values = new RandomJellyValues(new Random(seed), Profile.JAVA);
 * Object v = values.next();
 * }</pre>
 *
 * <p><em>Not thread-safe.</em>
 */
public final class RandomJellyValues {
  /** Which values to generate. */
  public enum Profile {
    /** Everything the Java data model can hold. */
    JAVA,
    /** Values Python holds equal after a round trip. */
    PYTHON
  }

  private static final String[] WORDS = {"None", "list", "remote", "reference", "dictionary", "unicode", "x", ""};
  private static final int[][] CODE_POINT_RANGES = {
    {0x20, 0x7e}, {0x00, 0x1f}, {0x7f, 0xff}, {0x100, 0x24f}, {0x370, 0x3ff}, {0x400, 0x4ff},
    {0x2000, 0x206f}, {0x2600, 0x26ff}, {0x4e00, 0x9fa5}, {0x1f600, 0x1f64f}, {0x10000, 0x1007f},
  };

  private final Random random;
  private final Profile profile;
  private final int maxDepth;
  private final List<Object> pool = new ArrayList<>();
  private final List<Object> hashablePool = new ArrayList<>();
  private final List<Object> open = new ArrayList<>();

  public RandomJellyValues(Random random, Profile profile) {
    this(random, profile, 4);
  }

  public RandomJellyValues(Random random, Profile profile, int maxDepth) {
    this.random = random;
    this.profile = profile;
    this.maxDepth = maxDepth;
  }

  /** Returns a new random value; containers are shared only within one value. */
  public @Nullable Object next() {
    pool.clear();
    hashablePool.clear();
    open.clear();
    return value(random.nextInt(maxDepth + 1));
  }

  private @Nullable Object value(int depth) {
    int r = random.nextInt(100);
    if (r < 6 && !pool.isEmpty()) {
      return pick(pool); // shared
    }
    if (r < 9 && !open.isEmpty()) {
      return pick(open); // a cycle back to an enclosing list or dict
    }
    if (depth > 0 && r < 45) {
      return container(depth - 1);
    }
    return leaf();
  }

  private Object container(int depth) {
    int n = random.nextInt(5);
    switch (random.nextInt(6)) {
      case 0:
      case 1: {
        List<@Nullable Object> list = new ArrayList<>();
        pool.add(list);
        open.add(list);
        for (int i = 0; i < n; i++) {
          list.add(value(depth));
        }
        open.remove(open.size() - 1); // a stack: by position, never by equals
        return list;
      }
      case 2: {
        Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
        pool.add(map);
        open.add(map);
        for (int i = 0; i < n; i++) {
          map.put(hashable(depth), value(depth));
        }
        open.remove(open.size() - 1);
        return map;
      }
      case 3: {
        List<@Nullable Object> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          elements.add(value(depth));
        }
        Tuple tuple = Tuple.copyOf(elements);
        // Twisted cannot rebuild a tuple that is both on a cycle and referenced again
        // (AssertionError in its unjellier): share only tuples made outside every open container.
        if (profile != Profile.PYTHON || open.isEmpty()) {
          pool.add(tuple);
        }
        return tuple;
      }
      case 4: {
        Set<@Nullable Object> set = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
          set.add(hashable(depth));
        }
        pool.add(set);
        return set;
      }
      default: {
        FrozenSet set = frozenSet(depth, n);
        pool.add(set);
        return set;
      }
    }
  }

  private FrozenSet frozenSet(int depth, int n) {
    List<@Nullable Object> elements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      elements.add(hashable(depth));
    }
    return FrozenSet.copyOf(elements);
  }

  /** A value Python can hash: atoms, text, dates, and tuples and frozensets of those. */
  private @Nullable Object hashable(int depth) {
    int r = random.nextInt(100);
    if (r < 8 && !hashablePool.isEmpty()) {
      return pick(hashablePool);
    }
    if (depth > 0 && r < 25) {
      Object container;
      if (random.nextBoolean()) {
        List<@Nullable Object> elements = new ArrayList<>();
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
          elements.add(hashable(depth - 1));
        }
        container = Tuple.copyOf(elements);
      } else {
        container = frozenSet(depth - 1, random.nextInt(4));
      }
      hashablePool.add(container);
      pool.add(container);
      return container;
    }
    if (profile == Profile.PYTHON) {
      switch (random.nextInt(8)) {
        case 0:
          return null;
        case 1:
        case 2:
          return integer();
        case 3:
        case 4:
          return text();
        case 5:
          return bytes();
        case 6:
          return date();
        default:
          return random.nextBoolean() ? datetime() : time();
      }
    }
    return leaf();
  }

  private @Nullable Object leaf() {
    switch (random.nextInt(14)) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
      case 3:
        return integer();
      case 4:
      case 5:
        return floating();
      case 6:
        return bytes();
      case 7:
      case 8:
        return text();
      case 9:
        return datetime();
      case 10:
        return random.nextBoolean() ? date() : time();
      case 11:
        return timedelta();
      case 12:
        return decimal();
      default:
        return profile == Profile.JAVA && random.nextInt(4) == 0 ? new Unpersistable(text()) : integer();
    }
  }

  private Object integer() {
    BigInteger max = BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE);
    BigInteger v;
    switch (random.nextInt(6)) {
      case 0:
        v = BigInteger.valueOf(random.nextInt(256) - 128);
        break;
      case 1:
        v = BigInteger.valueOf(random.nextInt());
        break;
      case 2:
        v = BigInteger.valueOf(random.nextLong());
        break;
      case 3:
        v = new BigInteger(1 + random.nextInt(447), random);
        break;
      case 4: {
        long[] edges = {Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, -(1L << 31) - 1, Long.MAX_VALUE,
            Long.MIN_VALUE, 0};
        v = BigInteger.valueOf(edges[random.nextInt(edges.length)]);
        break;
      }
      default:
        v = random.nextBoolean() ? max : BigInteger.ONE.shiftLeft(447);
    }
    if (random.nextInt(4) == 0) {
      v = v.negate();
    }
    return BananaDecoder.narrow(v);
  }

  private double floating() {
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1e16, 1e-5, 0.0001, 2e23, 123456789.125};
    switch (random.nextInt(4)) {
      case 0:
        return special[random.nextInt(special.length)];
      case 1:
        return Double.longBitsToDouble(random.nextLong());
      case 2:
        return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
      default:
        return random.nextInt(2000) / 8.0;
    }
  }

  private ByteString bytes() {
    if (random.nextInt(4) == 0) {
      return ByteString.ascii(WORDS[random.nextInt(WORDS.length)]);
    }
    byte[] b = new byte[random.nextInt(12)];
    random.nextBytes(b);
    return ByteString.of(b);
  }

  private String text() {
    if (random.nextInt(4) == 0) {
      return WORDS[random.nextInt(WORDS.length)];
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0, n = random.nextInt(10); i < n; i++) {
      int[] range = CODE_POINT_RANGES[random.nextInt(CODE_POINT_RANGES.length)];
      sb.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    if (random.nextInt(5) == 0) {
      sb.append(random.nextBoolean() ? '\'' : '"').append('\\');
    }
    return sb.toString();
  }

  private LocalDateTime datetime() {
    return LocalDateTime.of(date(), time());
  }

  private LocalDate date() {
    return LocalDate.ofEpochDay(LocalDate.of(1, 1, 1).toEpochDay()
        + (long) (random.nextDouble() * (LocalDate.of(9999, 12, 31).toEpochDay() - LocalDate.of(1, 1, 1).toEpochDay())));
  }

  private LocalTime time() {
    int micros = random.nextBoolean() ? 0 : random.nextInt(1_000_000);
    return LocalTime.of(random.nextInt(24), random.nextInt(60), random.nextInt(60), micros * 1000);
  }

  private Duration timedelta() {
    long days = random.nextBoolean() ? random.nextInt(2001) - 1000 : (long) ((random.nextDouble() * 2 - 1) * 999_999_999);
    return Duration.ofDays(days).plusSeconds(random.nextInt(86400)).plusNanos(random.nextInt(1_000_000) * 1000L);
  }

  private BigDecimal decimal() {
    BigInteger unscaled = new BigInteger(random.nextInt(120), random);
    if (random.nextBoolean()) {
      unscaled = unscaled.negate();
    }
    return new BigDecimal(unscaled, random.nextInt(61) - 30);
  }

  private Object pick(List<Object> from) {
    return from.get(random.nextInt(from.size()));
  }
}
