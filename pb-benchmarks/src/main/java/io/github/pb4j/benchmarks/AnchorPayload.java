package io.github.pb4j.benchmarks;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The performance-anchor payload: the Python value
 *
 * <pre>{@code [{"name": "item-%d" % i, "id": i, "value": i * 1.5} for i in range(100)]}</pre>
 *
 * <p>as Java sees it (an {@code ArrayList} of {@code LinkedHashMap<String, Object>} holding {@code
 * String}, {@code Integer} and {@code Double}); 9,4xx bytes of Banana in the pb dialect.
 *
 * <p><em>Immutable</em> (every call builds a fresh value).
 */
public final class AnchorPayload {
  /** Number of dicts in the list. */
  public static final int SIZE = 100;

  private AnchorPayload() {}

  /** Returns a fresh copy of the payload. */
  public static List<Map<String, Object>> create() {
    List<Map<String, Object>> items = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", "item-" + i);
      item.put("id", i);
      item.put("value", i * 1.5);
      items.add(item);
    }
    return items;
  }

  /** Returns the payload jellied into Banana bytes in the pb dialect, as one jelly call. */
  public static byte[] encoded() {
    ByteBuf buf = Unpooled.buffer();
    try {
      new Jellier(BananaEncoder.of(Dialect.PB), JellyRegistry.EMPTY, null).jelly(create(), buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }
}
