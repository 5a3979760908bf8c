package io.memtrace.agent.instrumentation.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.junit.jupiter.api.Test;

class ClassHeaderTest {

  interface Marker {
  }

  static final class Named implements Marker, Serializable {
    private static final long serialVersionUID = 1L;
  }

  @SuppressWarnings("serial")
  abstract static class WithWideConstants extends Number {
    static volatile long big = 1234567890123L;
    static volatile double precise = 3.14159265358979;
    static volatile String after = "a string constant after them";
  }

  static byte[] classBytes(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void shouldReadTheSuperclassAndDeclaredInterfaces() throws Exception {
    assertThat(ClassHeader.supertypes(classBytes(Named.class))).containsExactly(
        "java/lang/Object", Marker.class.getName().replace('.', '/'), "java/io/Serializable");
  }

  @Test
  void shouldSkipLongAndDoubleConstantsWhichTakeTwoSlots() throws Exception {
    assertThat(ClassHeader.supertypes(classBytes(WithWideConstants.class)))
        .containsExactly("java/lang/Number");
  }

  @Test
  void shouldAnswerNothingForBytesThatAreNotAClass() {
    assertThat(ClassHeader.supertypes(new byte[] {1, 2, 3})).isEmpty();
    assertThat(ClassHeader.supertypes(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE,
        0, 0, 0, 55, 0, 9, 1, 0})).isEmpty();
  }
}
