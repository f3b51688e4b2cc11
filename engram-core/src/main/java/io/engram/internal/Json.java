package io.engram.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer for Engram's own metadata and reports. Values map to
 * {@link Map} (insertion-ordered), {@link List}, {@link String}, {@link Double} / {@link Long},
 * {@link Boolean} and {@code null}. Internal: not part of the public API.
 *
 * <p>Parsing limits nesting depth (64) and input length, and never evaluates anything.
 */
public final class Json {

  private static final int MAX_DEPTH = 64;

  private Json() {}

  /**
   * Parses a JSON text.
   *
   * @throws IllegalArgumentException with the offset of the problem
   */
  public static Object parse(String text) {
    Reader r = new Reader(text);
    r.ws();
    Object v = r.value(0);
    r.ws();
    if (r.pos != text.length()) {
      throw r.error("unexpected text after the value");
    }
    return v;
  }

  /** Serialises a value with two-space indentation. */
  public static String writePretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, 2, 0);
    return sb.toString();
  }

  private static void newline(StringBuilder sb, int indent, int level) {
    if (indent >= 0) {
      sb.append('\n');
      for (int i = 0; i < indent * level; i++) {
        sb.append(' ');
      }
    }
  }

  private static void write(Object v, StringBuilder sb, int indent, int level) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(s, sb);
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Float f) {
      if (Float.isFinite(f)) {
        sb.append(f.toString());
      } else {
        sb.append("null");
      }
    } else if (v instanceof Double d) {
      if (Double.isFinite(d)) {
        sb.append(d.toString());
      } else {
        sb.append("null");
      }
    } else if (v instanceof Number n) {
      sb.append(n.toString());
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      boolean any = it.hasNext();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(sb, indent, level + 1);
        quote(String.valueOf(e.getKey()), sb);
        sb.append(indent >= 0 ? ": " : ":");
        write(e.getValue(), sb, indent, level + 1);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      if (any) {
        newline(sb, indent, level);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        newline(sb, indent, level + 1);
        write(l.get(i), sb, indent, level + 1);
        if (i < l.size() - 1) {
          sb.append(',');
        }
      }
      if (!l.isEmpty()) {
        newline(sb, indent, level);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
    }
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static final class Reader {
    final String s;
    int pos;

    Reader(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
    }

    void ws() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH);
      }
      char c = peek();
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          if (c == 'N' && s.startsWith("NaN", pos)) {
            pos += 3;
            return Double.NaN;
          }
          if (c == 'I' && s.startsWith("Infinity", pos)) {
            pos += 8;
            return Double.POSITIVE_INFINITY;
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object(int depth) {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (peek() == '}') {
        pos++;
        return m;
      }
      while (true) {
        ws();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String k = string();
        ws();
        if (peek() != ':') {
          throw error("expected ':'");
        }
        pos++;
        ws();
        if (m.containsKey(k)) {
          throw error("duplicate key \"" + k + "\"");
        }
        m.put(k, value(depth + 1));
        ws();
        char c = peek();
        pos++;
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array(int depth) {
      pos++;
      List<Object> l = new ArrayList<>();
      ws();
      if (peek() == ']') {
        pos++;
        return l;
      }
      while (true) {
        ws();
        l.add(value(depth + 1));
        ws();
        char c = peek();
        pos++;
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        pos++;
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          char e = peek();
          pos++;
          switch (e) {
            case '"':
            case '\\':
            case '/':
              sb.append(e);
              break;
            case 'b':
              sb.append('\b');
              break;
            case 'f':
              sb.append('\f');
              break;
            case 'n':
              sb.append('\n');
              break;
            case 'r':
              sb.append('\r');
              break;
            case 't':
              sb.append('\t');
              break;
            case 'u':
              if (pos + 4 > s.length()) {
                throw error("bad \\u escape");
              }
              try {
                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad \\u escape");
              }
              pos += 4;
              break;
            default:
              throw error("bad escape \\" + e);
          }
        } else if (c < 0x20) {
          throw error("control character in string");
        } else {
          sb.append(c);
        }
      }
    }

    Object number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
        if (pos < s.length() && s.charAt(pos) == 'I' && s.startsWith("Infinity", pos)) {
          pos += 8;
          return Double.NEGATIVE_INFINITY;
        }
      }
      boolean fraction = false;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c >= '0' && c <= '9') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          fraction = true;
          pos++;
        } else {
          break;
        }
      }
      String t = s.substring(start, pos);
      try {
        if (!fraction) {
          return Long.parseLong(t);
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        if (!fraction) {
          try {
            return Double.parseDouble(t);
          } catch (NumberFormatException e2) {
            // fall through
          }
        }
        throw error("bad number '" + t + "'");
      }
    }
  }
}
