package io.github.pb4j.jelly.testing;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyExtension;
import io.github.pb4j.jelly.JellyRegistry;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Test fixture: one Jelly call from a Java value to hex and back, through real Banana bytes.
 *
 * <pre>{@code
 * JellyCodec codec = JellyCodec.of(registry);
 * String hex = codec.jellyHex(List.of(1, "a"), Dialect.PB);
 * Object back = codec.unjellyHex(hex, Dialect.PB);
 * }</pre>
 *
 * <p><em>Immutable</em>; each call makes its own jellier and unjellier.
 */
public final class JellyCodec {
  private final JellyRegistry registry;
  private final @Nullable JellyExtension extension;

  private JellyCodec(JellyRegistry registry, @Nullable JellyExtension extension) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.extension = extension;
  }

  /** Returns a codec with no registered types and no extension. */
  public static JellyCodec plain() {
    return new JellyCodec(JellyRegistry.EMPTY, null);
  }

  public static JellyCodec of(JellyRegistry registry) {
    return new JellyCodec(registry, null);
  }

  public static JellyCodec of(JellyRegistry registry, @Nullable JellyExtension extension) {
    return new JellyCodec(registry, extension);
  }

  /** Returns a jellier writing the given dialect. */
  public Jellier jellier(Dialect dialect) {
    return new Jellier(BananaEncoder.of(dialect), registry, extension);
  }

  /** Returns a new unjellier. */
  public Unjellier unjellier() {
    return new Unjellier(registry, extension);
  }

  /** Returns the Banana bytes of one jelly call, as hex. */
  public String jellyHex(@Nullable Object value, Dialect dialect) {
    ByteBuf buf = Unpooled.buffer();
    try {
      jellier(dialect).jelly(value, buf);
      return ByteString.of(bytes(buf)).hex();
    } finally {
      buf.release();
    }
  }

  /** Decodes one Banana expression from hex and unjellies it. */
  public @Nullable Object unjellyHex(String hex, Dialect dialect) {
    return unjellier().unjelly(decodeSexp(hex, dialect));
  }

  /** Jellies {@code value} and unjellies the bytes again. */
  public @Nullable Object roundTrip(@Nullable Object value, Dialect dialect) {
    return unjellyHex(jellyHex(value, dialect), dialect);
  }

  /**
   * Decodes exactly one complete Banana expression from hex.
   *
   * @throws AssertionError if the bytes are incomplete or have bytes left over
   */
  public static Object decodeSexp(String hex, Dialect dialect) {
    ByteBuf buf = Unpooled.wrappedBuffer(ByteString.fromHex(hex).toByteArray());
    try {
      Object sexp = new BananaDecoder(BananaLimits.DEFAULT, dialect).decode(buf);
      if (sexp == null || buf.isReadable()) {
        throw new AssertionError("not exactly one banana expression: " + hex);
      }
      return sexp;
    } finally {
      buf.release();
    }
  }

  /** Returns the Banana encoding of an s-expression as hex. */
  public static String encodeSexp(Object sexp, Dialect dialect) {
    ByteBuf buf = Unpooled.buffer();
    try {
      BananaEncoder.of(dialect).encode(sexp, buf);
      return ByteString.of(bytes(buf)).hex();
    } finally {
      buf.release();
    }
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), bytes);
    return bytes;
  }
}
