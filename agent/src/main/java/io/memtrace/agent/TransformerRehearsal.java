package io.memtrace.agent;

import io.memtrace.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Runs a transformer on a class no rule targets, as it loads and as it is retransformed, on the thread that
 * installs it, before any other thread can reach it, so that the classes its common paths need are loaded by then.
 *
 * <p>Why: a transformer runs inside other code's class loading. When memtrace starts first, the
 * OpenTelemetry Java agent's {@code premain} runs on {@code main} while memtrace's start thread
 * installs the rules' transformer. A first call of that transformer on {@code main} loaded a
 * class of memtrace's ({@code LoadedTypeFallback$Pool}) in the middle of loading a class of the
 * OpenTelemetry agent's; the start thread, defining that very class of memtrace's, waited inside
 * the OpenTelemetry agent's transformer for the class {@code main} was loading. Neither went on
 * (a fresh-clone test run of 0b48dd1c, the forked application's thread dump). After this rehearsal, a class that is not a target passes
 * through the transformer, as it loads or as it is retransformed, without loading any class of memtrace's or Byte
 * Buddy's.
 */
final class TransformerRehearsal {

  /** The internal name of the rehearsal's class: outside memtrace's packages, so matched as any class is. */
  static final String CLASS_NAME = "memtrace/rehearsal/NotATarget";

  private TransformerRehearsal() {
  }

  /**
   * Runs {@code transformer} outside {@code lock} (Byte Buddy holds its lock against recursion on
   * the installing thread through the install, and a transformer entered under it lets the class
   * pass without looking at it; Byte Buddy's own warm-up lets go of it likewise): once as a class
   * loads, and once as a loaded class is retransformed, which describes the class from the loaded
   * one instead of its class file (another agent's {@code premain} retransforms the classes it
   * instruments; the retransformation pass of this install does too, on the installing thread).
   */
  static void rehearse(ClassFileTransformer transformer, AgentBuilder.CircularityLock lock) {
    byte[] classFile = classFile(CLASS_NAME);
    lock.release();
    try {
      transformer.transform(TransformerRehearsal.class.getModule(), TransformerRehearsal.class.getClassLoader(),
          CLASS_NAME, null, null, classFile);
      Loader loader = new Loader();
      Class<?> loaded = loader.define(classFile);
      transformer.transform(loaded.getModule(), loader, CLASS_NAME, loaded, loaded.getProtectionDomain(), classFile);
    } catch (Exception | LinkageError e) {
      // the real loads take their own path; the rehearsal only loads classes ahead
      AgentLog.debug("transformer rehearsal skipped: " + e);
    } finally {
      lock.acquire();
    }
  }

  /** Defines the rehearsal's class, so that it can be retransformed as a loaded class is. */
  private static final class Loader extends ClassLoader {

    Loader() {
      super(TransformerRehearsal.class.getClassLoader());
    }

    Class<?> define(byte[] classFile) {
      return defineClass(CLASS_NAME.replace('/', '.'), classFile, 0, classFile.length);
    }
  }

  /**
   * The class file of a small public class as an application's look: a field, a constructor and a
   * method with a parameter, so that describing it takes the paths an application class takes.
   */
  static byte[] classFile(String internalName) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0xCAFEBABE);
      out.writeShort(0); // minor version
      out.writeShort(52); // Java 8: read by every JVM memtrace runs on
      out.writeShort(14); // constant pool count: entries 1 to 13
      out.writeByte(7); // #1 Class -> #2
      out.writeShort(2);
      utf8(out, internalName); // #2
      out.writeByte(7); // #3 Class -> #4
      out.writeShort(4);
      utf8(out, "java/lang/Object"); // #4
      utf8(out, "<init>"); // #5
      utf8(out, "()V"); // #6
      utf8(out, "Code"); // #7
      out.writeByte(12); // #8 NameAndType <init> ()V
      out.writeShort(5);
      out.writeShort(6);
      out.writeByte(10); // #9 Methodref Object.<init>
      out.writeShort(3);
      out.writeShort(8);
      utf8(out, "value"); // #10
      utf8(out, "I"); // #11
      utf8(out, "run"); // #12
      utf8(out, "(Ljava/lang/String;)I"); // #13
      out.writeShort(0x0021); // ACC_PUBLIC | ACC_SUPER
      out.writeShort(1); // this class
      out.writeShort(3); // super class
      out.writeShort(0); // interfaces
      out.writeShort(1); // fields: private int value
      out.writeShort(0x0002);
      out.writeShort(10);
      out.writeShort(11);
      out.writeShort(0);
      out.writeShort(2); // methods
      method(out, 5, 6, 1, new byte[] {0x2a, (byte) 0xb7, 0x00, 0x09, (byte) 0xb1}); // super(); return
      method(out, 12, 13, 2, new byte[] {0x03, (byte) 0xac}); // return 0
      out.writeShort(0); // attributes
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen in memory", e);
    }
  }

  private static void utf8(DataOutputStream out, String value) throws IOException {
    out.writeByte(1);
    out.writeUTF(value);
  }

  /** A public method of one {@code Code} attribute: stack 1, no exception table, no attributes. */
  private static void method(DataOutputStream out, int name, int descriptor, int locals, byte[] code)
      throws IOException {
    out.writeShort(0x0001);
    out.writeShort(name);
    out.writeShort(descriptor);
    out.writeShort(1);
    out.writeShort(7); // Code
    out.writeInt(2 + 2 + 4 + code.length + 2 + 2);
    out.writeShort(1);
    out.writeShort(locals);
    out.writeInt(code.length);
    out.write(code);
    out.writeShort(0);
    out.writeShort(0);
  }
}
