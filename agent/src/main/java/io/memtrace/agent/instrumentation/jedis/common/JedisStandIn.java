package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.instrumentation.StandInClasses;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Jedis's {@code Connection} as a start-up rehearsal weaves it where the application's Jedis is
 * not on the class path (a Spring Boot jar nests it): a class file with the members the advice of
 * Jedis 4 and later binds to, and an empty {@code CommandArguments}, the family's marker and the
 * type of {@code sendCommand}'s argument. Made with ASM, which weaving loads anyway.
 */
public final class JedisStandIn {

  private static final String COMMAND_ARGUMENTS = "redis/clients/jedis/CommandArguments";

  private JedisStandIn() {
  }

  /** The stand-in's classes, {@code Connection} being the one to weave. */
  public static StandInClasses connection() {
    String connection = JedisTypes.CONNECTION.replace('.', '/');
    return new StandInClasses(Map.of(connection, connectionClass(connection),
        COMMAND_ARGUMENTS, emptyClass(COMMAND_ARGUMENTS)), connection);
  }

  private static byte[] connectionClass(String name) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
    writer.visitField(Opcodes.ACC_PRIVATE, "socket", "Ljava/net/Socket;", null, null).visitEnd();
    returning(writer, "sendCommand", "(L" + COMMAND_ARGUMENTS + ";)V", 2);
    returning(writer, "initializeFromClientConfig", "(Ljava/lang/Object;)V", 2);
    returning(writer, "disconnect", "()V", 1);
    MethodVisitor read = writer.visitMethod(Opcodes.ACC_PUBLIC, "readProtocolWithCheckingBroken",
        "()Ljava/lang/Object;", null, null);
    read.visitCode();
    read.visitInsn(Opcodes.ACONST_NULL);
    read.visitInsn(Opcodes.ARETURN);
    read.visitMaxs(1, 1);
    read.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  private static void returning(ClassWriter writer, String method, String descriptor, int locals) {
    MethodVisitor visitor = writer.visitMethod(Opcodes.ACC_PUBLIC, method, descriptor, null, null);
    visitor.visitCode();
    visitor.visitInsn(Opcodes.RETURN);
    visitor.visitMaxs(0, locals);
    visitor.visitEnd();
  }

  private static byte[] emptyClass(String name) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
    writer.visitEnd();
    return writer.toByteArray();
  }
}
