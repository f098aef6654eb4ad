package io.github.pb4j.cli;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.SexpFormatter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pb decode}: prints the Banana expressions in a byte stream, one per line, in Python
 * notation ({@link SexpFormatter}). A PB connection starts in the {@code none} dialect (the dialect
 * offer, or the client's choice) and continues in the one agreed, usually {@code pb}, whose
 * vocabulary words decode to their byte strings; {@code --dialect auto} follows that.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decode Banana bytes into readable s-expressions.",
      "Reads one direction of a PB connection (e.g. from a capture) and prints each expression as "
          + "a Python literal, one per line.",
      "Input: FILE, stdin (no FILE, or -), or --hex. Hex may contain spaces, colons and newlines."
    },
    footer = {
      "%nDialects: auto (default) decodes the first expression in 'none' and, if it is the dialect "
          + "handshake (b'pb' or [b'pb', b'none']), the rest in the dialect chosen; a stream that "
          + "does not start with the handshake is decoded in 'pb' from the start.",
      "%nExamples:",
      "  pb decode --hex 02800282706204826e6f6e65028013870681",
      "  pb decode --offsets capture-client-to-server.bin"
    })
final class DecodeCommand implements Callable<Integer> {
  /** How decoding chooses dialects. */
  enum DialectChoice {
    AUTO,
    NONE,
    PB
  }

  private final Terminal terminal;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "File of raw bytes; - or none for stdin.")
  @Nullable Path file;

  @Option(
      names = "--hex",
      paramLabel = "HEX",
      description = "Decode these bytes, given in hex, instead.")
  @Nullable String hex;

  @Option(
      names = "--dialect",
      paramLabel = "DIALECT",
      defaultValue = "auto",
      description = "auto, none or pb (default: ${DEFAULT-VALUE}).")
  DialectChoice dialect = DialectChoice.AUTO;

  @Option(names = "--indent", description = "Spread long expressions over several indented lines.")
  boolean indent;

  @Option(names = "--offsets", description = "Prefix each expression with its byte offset.")
  boolean offsets;

  DecodeCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  /** One decoded expression and where it started. */
  record Decoded(long offset, Object expression) {}

  @Override
  public Integer call() throws IOException {
    byte[] bytes = input();
    List<Decoded> decoded = new ArrayList<>();
    Failure failure =
        switch (dialect) {
          case NONE -> decode(bytes, Dialect.NONE, false, decoded);
          case PB -> decode(bytes, Dialect.PB, false, decoded);
          case AUTO -> decodeAuto(bytes, decoded);
        };
    for (Decoded d : decoded) {
      String text =
          indent
              ? SexpFormatter.formatIndented(d.expression())
              : SexpFormatter.format(d.expression());
      terminal.out().println(offsets ? d.offset() + ": " + text : text);
    }
    terminal.out().flush();
    if (failure != null) {
      throw new CliException(PbCli.FAILED, failure.message);
    }
    return PbCli.OK;
  }

  private record Failure(String message) {}

  private @Nullable Failure decodeAuto(byte[] bytes, List<Decoded> decoded) {
    List<Decoded> first = new ArrayList<>();
    Failure failure = decode(bytes, Dialect.NONE, true, first);
    if (first.isEmpty()
        || failure != null && first.size() == 1 && !isHandshake(first.get(0).expression())) {
      decoded.clear();
      return decode(bytes, Dialect.PB, false, decoded);
    }
    if (!isHandshake(first.get(0).expression())) {
      decoded.clear();
      return decode(bytes, Dialect.PB, false, decoded);
    }
    decoded.addAll(first);
    return failure;
  }

  /**
   * Decodes {@code bytes} into {@code out}; with {@code switchAfterHandshake} the dialect becomes
   * the one the first expression chose. Returns the failure that stopped decoding, if any.
   */
  private static @Nullable Failure decode(
      byte[] bytes, Dialect start, boolean switchAfterHandshake, List<Decoded> out) {
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, start);
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    try {
      while (in.isReadable()) {
        int offset = in.readerIndex();
        Object expression;
        try {
          expression = decoder.decode(in);
        } catch (BananaException e) {
          return new Failure("at byte " + offset + ": " + e.getMessage());
        }
        if (expression == null) {
          return new Failure(
              (bytes.length - offset)
                  + " bytes left over at byte "
                  + offset
                  + ": incomplete expression");
        }
        out.add(new Decoded(offset, expression));
        if (switchAfterHandshake && out.size() == 1 && isHandshake(expression)) {
          decoder.setDialect(chosen(expression));
        }
      }
      return null;
    } finally {
      in.release();
    }
  }

  /** True for a dialect offer ({@code [b'pb', b'none']}) or choice ({@code b'pb'}). */
  private static boolean isHandshake(Object expression) {
    if (expression instanceof ByteString b) {
      return Dialect.fromWire(b) != null;
    }
    return expression instanceof List<?> list
        && !list.isEmpty()
        && list.stream().allMatch(e -> e instanceof ByteString)
        && list.stream().anyMatch(e -> Dialect.fromWire((ByteString) e) != null);
  }

  /** The dialect a handshake leads to: the choice, or the first offered dialect we know. */
  private static Dialect chosen(Object handshake) {
    if (handshake instanceof ByteString b) {
      Dialect d = Dialect.fromWire(b);
      return d != null ? d : Dialect.PB;
    }
    for (Object o : (List<?>) handshake) {
      Dialect d = Dialect.fromWire((ByteString) o);
      if (d != null) {
        return d;
      }
    }
    return Dialect.PB;
  }

  private byte[] input() throws IOException {
    if (hex != null) {
      if (file != null) {
        throw new CliException(PbCli.USAGE, "FILE and --hex: both given (expected: one of them)");
      }
      String digits = hex.replaceAll("[\\s:]", "");
      if (digits.startsWith("0x") || digits.startsWith("0X")) {
        digits = digits.substring(2);
      }
      try {
        return HexFormat.of().parseHex(digits);
      } catch (IllegalArgumentException e) {
        throw new CliException(PbCli.USAGE, "--hex: " + e.getMessage());
      }
    }
    if (file == null || file.toString().equals("-")) {
      return terminal.stdinBytes();
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException(PbCli.USAGE, file + ": no such file");
    }
  }
}
