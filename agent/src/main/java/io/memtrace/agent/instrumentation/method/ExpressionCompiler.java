package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.Expression;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Checks an expression against the method it will read, when the class is transformed: the root
 * must exist (no {@code this} on a static method, no {@code return} on a void one, no arg3 on a
 * two-argument method), and every path element must name a field, getter, record component or
 * no-arg method of the declared type. Where the declared type cannot tell (Object, a type
 * variable, a map, an async result), the rest of the path is resolved on the live object.
 */
public final class ExpressionCompiler {

  private ExpressionCompiler() {
  }

  /** @throws IllegalArgumentException saying which part of the expression does not fit the method */
  public static CompiledExpression compile(Expression expression, MethodDescription method) {
    return compile(expression, method, false);
  }

  /**
   * As {@link #compile(Expression, MethodDescription)}; with {@code outcomeLater}, {@code return} is what a
   * streaming call's handler is told at the end (a response), whatever the method itself returns.
   */
  public static CompiledExpression compile(Expression expression, MethodDescription method, boolean outcomeLater) {
    TypeDescription type;
    switch (expression.root()) {
      case THIS:
        if (method.isStatic()) {
          throw new IllegalArgumentException("uses 'this' but " + method.getName() + " is static");
        }
        type = method.getDeclaringType().asErasure();
        break;
      case RETURN:
        if (outcomeLater) {
          type = null;
          break;
        }
        if (method.getReturnType().represents(void.class)) {
          throw new IllegalArgumentException("uses 'return' but " + method.getName() + " returns void");
        }
        type = method.getReturnType().asErasure();
        if (type.isAssignableTo(CompletionStage.class) || type.getName().startsWith("reactor.core.publisher.")
            || type.getName().equals("org.reactivestreams.Publisher")) {
          type = null; // the completed value, or a stream's last element: known only at run time
        }
        break;
      default:
        int count = method.getParameters().size();
        if (expression.argIndex() >= count) {
          throw new IllegalArgumentException("uses arg" + expression.argIndex() + " but "
              + method.getName() + " takes " + count + " argument" + (count == 1 ? "" : "s"));
        }
        type = method.getParameters().get(expression.argIndex()).getType().asErasure();
    }
    for (String element : expression.path()) {
      if (type == null || isOpaque(type)) {
        break;
      }
      type = memberType(type, element);
      if (type == null) {
        break;
      }
    }
    return new CompiledExpression(expression);
  }

  /** Types whose members cannot be checked before run time. */
  private static boolean isOpaque(TypeDescription type) {
    return type.represents(Object.class) || type.isAssignableTo(Map.class)
        || type.represents(Optional.class) || type.isAssignableTo(CompletionStage.class);
  }

  /**
   * The type of {@code element} on {@code type}, {@code null} when it is known to exist but its
   * type is not useful, or an exception when {@code type} has no such member.
   */
  private static TypeDescription memberType(TypeDescription type, String element) {
    if (element.equals("class")) {
      return TypeDescription.ForLoadedType.of(Class.class); // getClass(), on interfaces too
    }
    if ((element.equals("size") || element.equals("length"))
        && (type.isArray() || type.isAssignableTo(Collection.class) || type.isAssignableTo(CharSequence.class))) {
      return null;
    }
    String capital = Character.toUpperCase(element.charAt(0)) + element.substring(1);
    for (TypeDefinition t = type; t != null; t = t.getSuperClass() == null ? null : t.getSuperClass()) {
      TypeDescription d = t.asErasure();
      for (MethodDescription.InDefinedShape m : d.getDeclaredMethods()) {
        if (m.getParameters().isEmpty() && !m.isStatic() && !m.getReturnType().represents(void.class)
            && (m.getName().equals(element) || m.getName().equals("get" + capital) || m.getName().equals("is" + capital))) {
          return m.getReturnType().asErasure();
        }
      }
      for (FieldDescription.InDefinedShape f : d.getDeclaredFields()) {
        if (f.getName().equals(element) && !f.isStatic()) {
          return f.getType().asErasure();
        }
      }
      if (hasInterfaceMethod(d, element, capital)) {
        return null;
      }
    }
    if (type.isInterface() || type.isAbstract()) {
      // an implementation may still have it; the interface could not be fully checked
      if (hasInterfaceMethod(type, element, capital)) {
        return null;
      }
    }
    throw new IllegalArgumentException(type.getName() + " has no field, getter or record component '" + element + "'");
  }

  private static boolean hasInterfaceMethod(TypeDescription type, String element, String capital) {
    for (TypeDescription.Generic i : type.getInterfaces()) {
      TypeDescription d = i.asErasure();
      for (MethodDescription.InDefinedShape m : d.getDeclaredMethods()) {
        if (m.getParameters().isEmpty() && !m.isStatic() && !m.getReturnType().represents(void.class)
            && (m.getName().equals(element)
            || m.getName().equals("get" + capital) || m.getName().equals("is" + capital))) {
          return true;
        }
      }
      if (hasInterfaceMethod(d, element, capital)) {
        return true;
      }
    }
    return false;
  }
}
