package io.github.pb4j.jelly.internal;

import io.github.pb4j.jelly.JellyTag;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.banana.internal.BananaReader;
import io.github.pb4j.banana.internal.BananaReader.Unsupported;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.internal.Vocabulary;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Unjellies straight from Banana bytes, in one pass, the values most messages carry: None, bool,
 * int, float, bytes, str, list, tuple and dict (with hashable keys), nested up to 64 levels.
 * Nothing else: a reference, a flavour, a registered type, a set, a date, a decimal, anything
 * malformed or at a limit makes it throw {@link Unsupported}. The caller then decodes the same
 * bytes with {@link io.github.pb4j.banana.BananaDecoder} and {@link Unjellier}, which accept the
 * rest or give the exact error; whatever this reader returns, they would have returned an equal
 * value of the same types.
 *
 * <p>It calls no {@link JellyExtension}, so reading has no side effect and can be abandoned at
 * any point.
 *
 * <p><em>Not thread-safe;</em> one per connection, confined to its thread.
 */
public final class JellyReader {
  /** Nesting the recursive reader handles itself. */
  private static final int MAX_FAST_DEPTH = 64;

  private static final JellyAccess ACCESS = JellyAccess.get();
  private static final ByteString UNICODE = JellyTag.UNICODE.wire();
  private static final ByteString BOOLEAN = JellyTag.BOOLEAN.wire();
  private static final ByteString LIST = JellyTag.LIST.wire();
  private static final ByteString TUPLE = JellyTag.TUPLE.wire();
  private static final ByteString DICTIONARY = JellyTag.DICTIONARY.wire();
  private static final ByteString NONE = JellyTag.NONE.wire();
  private static final ByteString REMOTE = JellyTag.REMOTE.wire();
  private static final ByteString LOCAL = JellyTag.LOCAL.wire();
  private static final ByteString TRUE = JellyWords.TRUE;
  private static final ByteString FALSE = JellyWords.FALSE;

  // The tags this reader handles, numbered for its switches (these are not wire values).
  private static final int TAG_OTHER = 0;
  private static final int TAG_NONE = 1;
  private static final int TAG_DICTIONARY = 2;
  private static final int TAG_LIST = 3;
  private static final int TAG_TUPLE = 4;
  private static final int TAG_UNICODE = 5;
  private static final int TAG_BOOLEAN = 6;
  private static final int TAG_REMOTE = 7;
  private static final int TAG_LOCAL = 8;
  /** The tag of each vocabulary word (by its number in {@link Vocabulary}); TAG_OTHER for the rest. */
  private static final int[] TAG_BY_WORD = new int[Vocabulary.size() + 1];

  static {
    TAG_BY_WORD[Vocabulary.numberOf(NONE)] = TAG_NONE;
    TAG_BY_WORD[Vocabulary.numberOf(DICTIONARY)] = TAG_DICTIONARY;
    TAG_BY_WORD[Vocabulary.numberOf(LIST)] = TAG_LIST;
    TAG_BY_WORD[Vocabulary.numberOf(TUPLE)] = TAG_TUPLE;
    int remote = Vocabulary.numberOf(REMOTE);
    if (remote > 0) {
      TAG_BY_WORD[remote] = TAG_REMOTE;
    }
    int local = Vocabulary.numberOf(LOCAL);
    if (local > 0) {
      TAG_BY_WORD[local] = TAG_LOCAL;
    }
  }

  /** Key positions remembered, and the longest encoded item header and key remembered. */
  private static final int KEY_MEMORY = 8;
  private static final int MAX_REMEMBERED_KEY_BYTES = 50;

  /**
   * The tag of a str as it is almost always written, {@code b'unicode'} as a one-digit string
   * token: matched as raw bytes, it saves reading the token and comparing the tag. Any other
   * spelling of the same token takes the general route below.
   */
  private static final byte[] UNICODE_TOKEN = unicodeToken();

  /**
   * The text keys last read at each of a dict's first positions, with their bytes. A cache checked
   * byte for byte, so the readers of every connection on a thread share one: an idle connection
   * holds none.
   */
  private static final class KeyMemory {
    final String[] text = new String[KEY_MEMORY];
    /** The bytes of each item's header and key. */
    final byte[][] wire = new byte[KEY_MEMORY][];
    /** How many of the first positions hold keys that are all different. */
    int distinct;
    /** Counts the changes, so that a dict can tell whether its earlier keys are still the ones here. */
    int version;
    /** The limits and dialect the remembered bytes were read under. */
    @Nullable BananaLimits limits;
    @Nullable Dialect dialect;

    /**
     * Forgets the keys if they were read under other limits or another dialect (by another
     * connection on this thread): bytes one reader accepted, another may have to decline.
     */
    void readUnder(BananaLimits limits, Dialect dialect) {
      if (dialect != this.dialect || (limits != this.limits && !limits.equals(this.limits))) {
        Arrays.fill(text, null);
        Arrays.fill(wire, null);
        distinct = 0;
        version++;
        this.limits = limits;
        this.dialect = dialect;
      }
    }

    void remember(int index, String key, byte[] bytes) {
      text[index] = key;
      wire[index] = bytes;
      version++;
      int n = 0;
      while (n < KEY_MEMORY && text[n] != null && !repeats(n)) {
        n++;
      }
      distinct = n;
    }

    private boolean repeats(int n) {
      for (int j = 0; j < n; j++) {
        if (text[j].equals(text[n])) {
          return true;
        }
      }
      return false;
    }
  }

  private static final FastThreadLocal<KeyMemory> KEYS =
      new FastThreadLocal<>() {
        @Override
        protected KeyMemory initialValue() {
          return new KeyMemory();
        }
      };

  private final BananaReader in;
  private final int maxDepth;
  /** The keys remembered, shared by the readers on this thread; set by {@link #read}. */
  private @Nullable KeyMemory keys;
  /** Whether {@code [b'remote', luid]} and {@code [b'local', luid]} are read (as a {@link WithReferences}). */
  private boolean remoteReferences;
  /** The remote references met by the current {@link #read}, in reading order. */
  private RemoteSlot @Nullable [] slots;
  private int slotCount;

  /**
   * Creates a reader over {@code in} for values nested at most {@code maxDepth} levels (the
   * unjellier's limit; deeper values are left to it).
   */
  public JellyReader(BananaReader in, int maxDepth) {
    this.in = Objects.requireNonNull(in, "in");
    // A container is one Banana list, a dict item another, a str a third at the bottom: keep the
    // Banana nesting within the decoder's limit too.
    int bananaBound = (in.limits().maxDepth() - 2) / 2;
    this.maxDepth = Math.min(maxDepth, Math.min(MAX_FAST_DEPTH, bananaBound));
  }

  /** Returns the Banana reader this reader reads from. */
  public BananaReader banana() {
    return in;
  }

  /**
   * Also reads PB's references ({@code [b'remote', luid]} and {@code [b'local', luid]} with an
   * int luid), which only their connection can resolve: a value holding any is returned as a
   * {@link WithReferences}, whose {@link WithReferences#resolve} puts them in place once the
   * caller has accepted the message. Reading still has no side effect.
   */
  public void readRemoteReferences() {
    remoteReferences = true;
  }

  /**
   * Reads one jellied value, as one {@link Unjellier#unjelly} call would return it; with {@link
   * #readRemoteReferences}, a value holding remote references comes as a {@link WithReferences}.
   *
   * @throws Unsupported if the value is not one this reader handles (nothing is then consumed
   *     from the buffer; the reader's position is undefined until {@link BananaReader#rollback})
   */
  public @Nullable Object read() {
    KeyMemory memory = KEYS.get();
    memory.readUnder(in.limits(), in.dialect());
    keys = memory;
    slotCount = 0;
    Object value = value(0);
    if (slotCount == 0) {
      return value;
    }
    RemoteSlot[] met = Arrays.copyOf(slots, slotCount);
    slotCount = 0;
    Arrays.fill(slots, null);
    return new WithReferences(value, met);
  }

  /**
   * A value read with references in it, each still to resolve: {@link #resolve} asks the
   * connection for each one, in the order they were read (as the unjellier would meet them), and
   * puts it in its place. Used once.
   */
  public static final class WithReferences {
    private final @Nullable Object value;
    private final RemoteSlot[] slots;

    WithReferences(@Nullable Object value, RemoteSlot[] slots) {
      this.value = value;
      this.slots = slots;
    }

    /** The number of references in the value. */
    public int size() {
      return slots.length;
    }

    /**
     * Resolves each reference, in reading order, with {@code resolver} (given the tag, {@code
     * b'remote'} or {@code b'local'}, and the luid), and returns the value with the results in
     * place.
     */
    @SuppressWarnings("unchecked")
    public @Nullable Object resolve(Resolver resolver) {
      Object top = value;
      for (RemoteSlot slot : slots) {
        Object resolved = resolver.resolve(slot.local ? LOCAL : REMOTE, slot.luid);
        Object container = slot.container;
        if (container == null) {
          top = resolved;
        } else if (container instanceof ArrayList<?> list) {
          ((ArrayList<@Nullable Object>) list).set(slot.index, resolved);
        } else if (container instanceof Tuple tuple) {
          ACCESS.fill(tuple, slot.index, resolved);
        } else {
          ((Map<@Nullable Object, @Nullable Object>) container).put(slot.key, resolved);
        }
      }
      return top;
    }
  }

  /** Resolves the references of a {@link WithReferences}. */
  @FunctionalInterface
  public interface Resolver {
    /** The value of {@code [tag, luid]}. */
    @Nullable Object resolve(ByteString tag, int luid);
  }

  /** Where a reference was read: its kind and luid, and the container and position it fills. */
  private static final class RemoteSlot {
    final boolean local;
    final int luid;
    @Nullable Object container;
    int index;
    @Nullable Object key;

    RemoteSlot(boolean local, int luid) {
      this.local = local;
      this.luid = luid;
    }
  }

  private RemoteSlot reference(boolean local) {
    if (in.next() != BananaReader.INT || !(in.number() instanceof Integer luid)) {
      throw Unsupported.INSTANCE;
    }
    RemoteSlot slot = new RemoteSlot(local, luid);
    RemoteSlot[] s = slots;
    if (s == null) {
      s = new RemoteSlot[4];
      slots = s;
    } else if (slotCount == s.length) {
      s = Arrays.copyOf(s, s.length * 2);
      slots = s;
    }
    s[slotCount++] = slot;
    return slot;
  }

  private @Nullable Object value(int depth) {
    int type = in.next();
    switch (type) {
      case BananaReader.INT:
        return in.number();
      case BananaReader.FLOAT:
        return in.doubleValue();
      case BananaReader.STRING:
        return in.byteString();
      case BananaReader.VOCAB:
        return in.word();
      default: {
        int count = in.count();
        if (count == 2 && in.skipIf(UNICODE_TOKEN)) {
          return text();
        }
        return expression(count, depth);
      }
    }
  }

  /** Reads the text of a str whose list header and tag are read. */
  private String text() {
    int t = in.next();
    if (t == BananaReader.STRING) {
      return in.utf8String();
    }
    if (t == BananaReader.VOCAB) {
      return in.word().toStringUtf8();
    }
    throw Unsupported.INSTANCE;
  }

  private static byte[] unicodeToken() {
    int n = UNICODE.size();
    byte[] token = new byte[n + 2];
    token[0] = (byte) n;
    token[1] = (byte) BananaReader.STRING;
    for (int i = 0; i < n; i++) {
      token[i + 2] = UNICODE.byteAt(i);
    }
    return token;
  }

  private @Nullable Object expression(int count, int depth) {
    if (count == 0) {
      throw Unsupported.INSTANCE;
    }
    int type = in.next();
    int tag;
    if (type == BananaReader.VOCAB) {
      tag = TAG_BY_WORD[in.vocabNumber()];
    } else if (type == BananaReader.STRING) {
      tag = stringTag();
    } else {
      throw Unsupported.INSTANCE;
    }
    switch (tag) {
      case TAG_UNICODE: {
        if (count != 2) {
          throw Unsupported.INSTANCE;
        }
        return text();
      }
      case TAG_NONE:
        if (count != 1) {
          throw Unsupported.INSTANCE;
        }
        return null;
      case TAG_BOOLEAN: {
        if (count != 2) {
          throw Unsupported.INSTANCE;
        }
        int t = in.next();
        if (in.is(t, TRUE)) {
          return Boolean.TRUE;
        }
        if (in.is(t, FALSE)) {
          return Boolean.FALSE;
        }
        throw Unsupported.INSTANCE;
      }
      default:
        break;
    }
    if (depth >= maxDepth) {
      throw Unsupported.INSTANCE;
    }
    switch (tag) {
      case TAG_DICTIONARY:
        return dictionary(count - 1, depth + 1);
      case TAG_REMOTE:
      case TAG_LOCAL: {
        if (count != 2 || !remoteReferences) {
          throw Unsupported.INSTANCE;
        }
        return reference(tag == TAG_LOCAL);
      }
      case TAG_LIST: {
        ArrayList<@Nullable Object> list = new ArrayList<>(Math.min(count - 1, 1024));
        for (int i = 1; i < count; i++) {
          Object v = value(depth + 1);
          if (v instanceof RemoteSlot slot) {
            slot.container = list;
            slot.index = i - 1;
          }
          list.add(v);
        }
        return list;
      }
      case TAG_TUPLE: {
        if (count == 1) {
          return ACCESS.newTuple(0);
        }
        Tuple tuple = ACCESS.newTuple(count - 1);
        for (int i = 1; i < count; i++) {
          Object v = value(depth + 1);
          if (v instanceof RemoteSlot slot) {
            slot.container = tuple;
            slot.index = i - 1;
          }
          ACCESS.fill(tuple, i - 1, v);
        }
        return tuple;
      }
      default:
        throw Unsupported.INSTANCE;
    }
  }

  /** The tag of the string token just read, as its vocabulary number (unicode and boolean have their own). */
  private int stringTag() {
    byte[] b = in.array();
    int o = in.stringOffset();
    switch (in.stringLength()) {
      case 7:
        if (in.is(BananaReader.STRING, UNICODE)) {
          return TAG_UNICODE;
        }
        return in.is(BananaReader.STRING, BOOLEAN) ? TAG_BOOLEAN : TAG_OTHER;
      case 4:
        if (b[o] == 'l') {
          return in.is(BananaReader.STRING, LIST) ? TAG_LIST : TAG_OTHER;
        }
        return in.is(BananaReader.STRING, NONE) ? TAG_NONE : TAG_OTHER;
      case 5:
        if (b[o] == 't') {
          return in.is(BananaReader.STRING, TUPLE) ? TAG_TUPLE : TAG_OTHER;
        }
        return in.is(BananaReader.STRING, LOCAL) ? TAG_LOCAL : TAG_OTHER;
      case 6:
        return in.is(BananaReader.STRING, REMOTE) ? TAG_REMOTE : TAG_OTHER;
      case 10:
        return in.is(BananaReader.STRING, DICTIONARY) ? TAG_DICTIONARY : TAG_OTHER;
      default:
        return TAG_OTHER;
    }
  }

  private Map<@Nullable Object, @Nullable Object> dictionary(int size, int depth) {
    Map<@Nullable Object, @Nullable Object> map = ACCESS.newDict(size);
    KeyMemory memory = keys;
    int version = memory.version;
    boolean allRemembered = true;
    for (int i = 0; i < size; i++) {
      byte[] wire = i < KEY_MEMORY ? memory.wire[i] : null;
      Object key;
      if (wire != null && in.skipIf(wire)) {
        key = memory.text[i]; // a String: hashable, and no reference in it
      } else {
        allRemembered = false;
        int slotsBefore = slotCount;
        key = key(i, depth);
        if (slotCount != slotsBefore || !ACCESS.isHashable(key)) {
          // A reference in a key: left to the unjellier (a key's hash must not change later).
          throw Unsupported.INSTANCE;
        }
      }
      Object v = value(depth);
      if (v instanceof RemoteSlot slot) {
        slot.container = map;
        slot.key = key;
      }
      // Keys that all matched the memory, unchanged since this dict began, are all different.
      if (allRemembered && i < memory.distinct && memory.version == version) {
        ACCESS.putNew(map, key, v);
      } else {
        map.put(key, v);
      }
      if (slotCount != 0 && map.size() != i + 1) {
        // A key given twice where a reference is in play: the unjellier's order of effects.
        throw Unsupported.INSTANCE;
      }
    }
    return map;
  }

  /**
   * Reads the header and key of a dict's {@code index}-th item, and remembers a text key with its
   * bytes. Dicts in one message (a list of records) or in successive ones mostly have the same
   * text keys in the same order: bytes that match what was remembered at the position give the
   * same String again, with no decoding and no allocation (see {@link #dictionary}).
   */
  private @Nullable Object key(int index, int depth) {
    int start = in.mark();
    if (in.nextList() != 2) {
      throw Unsupported.INSTANCE;
    }
    Object key = value(depth);
    int length = in.mark() - start;
    KeyMemory memory = keys;
    if (index < KEY_MEMORY && key instanceof String text && length <= MAX_REMEMBERED_KEY_BYTES) {
      memory.remember(index, text, Arrays.copyOfRange(in.array(), start, start + length));
    }
    return key;
  }
}
