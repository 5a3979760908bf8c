package io.memtrace.agent.instrumentation.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a class file only as far as its direct supertypes, without loading anything: enough for
 * the {@link RuleMatcher} to tell, for the start-up gate, whether a class about to load is one a
 * rule names.
 */
final class ClassHeader {

  private ClassHeader() {
  }

  /**
   * The internal names ({@code com/acme/Memory}) of the superclass and the interfaces declared by
   * {@code bytes}, or an empty list when the bytes are not a class file this reader understands.
   */
  static List<String> supertypes(byte[] bytes) {
    try {
      return read(bytes);
    } catch (RuntimeException e) {
      return Collections.emptyList();
    }
  }

  private static List<String> read(byte[] b) {
    if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
      return Collections.emptyList();
    }
    int count = u2(b, 8);
    int[] offsets = new int[count]; // of each constant's data, after its tag
    int p = 10;
    for (int i = 1; i < count; i++) {
      int tag = b[p] & 0xFF;
      offsets[i] = p + 1;
      switch (tag) {
        case 1: // Utf8
          p += 3 + u2(b, p + 1);
          break;
        case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
          p += 3;
          break;
        case 15: // MethodHandle
          p += 4;
          break;
        case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
          p += 5;
          break;
        case 5: case 6: // Long, Double take two entries
          p += 9;
          i++;
          break;
        default:
          return Collections.emptyList();
      }
    }
    // access_flags u2, this_class u2, super_class u2, interfaces_count u2, interfaces u2[]
    List<String> names = new ArrayList<>();
    int superIndex = u2(b, p + 4);
    if (superIndex != 0) {
      names.add(className(b, offsets, superIndex));
    }
    int interfaces = u2(b, p + 6);
    for (int i = 0; i < interfaces; i++) {
      names.add(className(b, offsets, u2(b, p + 8 + 2 * i)));
    }
    return names;
  }

  private static String className(byte[] b, int[] offsets, int classIndex) {
    int utf8 = offsets[u2(b, offsets[classIndex])];
    int length = u2(b, utf8);
    // Class names are ASCII in practice; modified UTF-8 of other characters would only make the
    // name not match a rule, never a wrong match of a different name.
    return new String(b, utf8 + 2, length, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int u2(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static int u4(byte[] b, int p) {
    return (u2(b, p) << 16) | u2(b, p + 2);
  }
}
