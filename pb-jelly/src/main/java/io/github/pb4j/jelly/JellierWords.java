package io.github.pb4j.jelly;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaType;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.internal.JellyWords;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * The encodings a {@link Jellier} writes again and again, made once per dialect and shared by every
 * connection. Immutable.
 */
final class JellierWords {
  private static final JellierWords[] BY_DIALECT = new JellierWords[Dialect.values().length];

  final byte[] noneExpr;
  final byte[] trueExpr;
  final byte[] falseExpr;
  final byte[] tagUnicode;
  final byte[] unicodeHeader;
  final byte[] tagList;
  final byte[] tagTuple;
  final byte[] tagDictionary;
  final byte[] tagSet;
  final byte[] tagFrozenset;
  final byte[] tagReference;
  final byte[] tagDereference;

  private JellierWords(BananaEncoder encoder) {
    this.noneExpr = expression(encoder, JellyTag.NONE, null);
    this.trueExpr = expression(encoder, JellyTag.BOOLEAN, JellyWords.TRUE);
    this.falseExpr = expression(encoder, JellyTag.BOOLEAN, JellyWords.FALSE);
    this.tagUnicode = encoder.precompute(JellyTag.UNICODE.wire());
    this.unicodeHeader = new byte[tagUnicode.length + 2];
    unicodeHeader[0] = 0x02;
    unicodeHeader[1] = (byte) BananaType.Code.LIST;
    System.arraycopy(tagUnicode, 0, unicodeHeader, 2, tagUnicode.length);
    this.tagList = encoder.precompute(JellyTag.LIST.wire());
    this.tagTuple = encoder.precompute(JellyTag.TUPLE.wire());
    this.tagDictionary = encoder.precompute(JellyTag.DICTIONARY.wire());
    this.tagSet = encoder.precompute(JellyTag.SET.wire());
    this.tagFrozenset = encoder.precompute(JellyTag.FROZENSET.wire());
    this.tagReference = encoder.precompute(JellyTag.REFERENCE.wire());
    this.tagDereference = encoder.precompute(JellyTag.DEREFERENCE.wire());
  }

  /** Returns the words of {@code encoder}'s dialect; a race makes them twice, harmlessly. */
  static JellierWords of(BananaEncoder encoder) {
    int i = encoder.dialect().ordinal();
    JellierWords w = BY_DIALECT[i];
    if (w == null) {
      w = new JellierWords(encoder);
      BY_DIALECT[i] = w; // final fields: safely published even without a lock
    }
    return w;
  }

  private static byte[] expression(BananaEncoder encoder, JellyTag tag, @Nullable ByteString arg) {
    ByteBuf buf = io.netty.buffer.Unpooled.buffer();
    encoder.writeListHeader(buf, arg == null ? 1 : 2);
    encoder.writeBytes(buf, tag.wire());
    if (arg != null) {
      encoder.writeBytes(buf, arg);
    }
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }
}
