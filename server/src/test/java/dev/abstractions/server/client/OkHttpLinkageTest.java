package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.okhttp.OkHttpChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The CLI runs grpc-okhttp at an older version than the grpc it sits on (the newest served here;
 * see pom.xml). This checks, over the class files of the grpc-okhttp jar on the classpath, that
 * it links against this grpc: every class, method and field of grpc it refers to exists with the
 * same descriptor, and every concrete class implements every abstract method of the grpc types it
 * extends or implements. A mismatch would otherwise surface only as a NoSuchMethodError or
 * AbstractMethodError in whichever path of a user's command first reached it.
 */
class OkHttpLinkageTest {

  private final ClassLoader loader = getClass().getClassLoader();
  /** grpc-okhttp's classes as their class files have them: access, supertypes, methods' access by name and descriptor. */
  private final Map<String, OwnClass> ownClasses = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final Set<String> references = new HashSet<>();

  @Test
  void grpcOkHttpLinksAgainstTheGrpcOnTheClasspath() throws IOException, URISyntaxException {
    Path jar = Path.of(OkHttpChannelBuilder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
          try (InputStream bytes = file.getInputStream(entry)) {
            new ClassReader(bytes).accept(new ClassScanner(), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
          }
        }
      }
    }
    int concreteGrpcSubtypes = 0;
    for (Map.Entry<String, OwnClass> own : ownClasses.entrySet()) {
      if (!own.getValue().isAbstract() && supertypes(own.getKey()).stream().anyMatch(OkHttpLinkageTest::isGrpc)) {
        concreteGrpcSubtypes++;
        checkImplementsEveryAbstractMethod(own.getKey());
      }
    }

    assertThat(problems).isEmpty();
    // What there was to check, so that a jar that is not grpc-okhttp's cannot pass unseen.
    assertThat(references).hasSizeGreaterThan(200);
    assertThat(concreteGrpcSubtypes).isGreaterThan(20);
  }

  /**
   * Records a class of grpc-okhttp (for the check of abstract methods) and checks each reference its
   * code makes to a class, method or field of grpc outside grpc-okhttp.
   */
  private final class ClassScanner extends ClassVisitor {

    private OwnClass own;

    ClassScanner() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      own = new OwnClass(access, superName, List.of(interfaces == null ? new String[0] : interfaces), new HashMap<>());
      ownClasses.put(name, own);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      own.methods().put(name + descriptor, access);
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor,
            boolean isInterface) {
          if (isGrpc(owner) && references.add(owner + "." + method + methodDescriptor)
              && !hasMethod(owner, method, methodDescriptor)) {
            problems.add("no method " + owner + "." + method + methodDescriptor);
          }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String field, String fieldDescriptor) {
          if (isGrpc(owner) && references.add(owner + "." + field + ":" + fieldDescriptor)
              && !hasField(owner, field, fieldDescriptor)) {
            problems.add("no field " + owner + "." + field + ":" + fieldDescriptor);
          }
        }

        @Override
        public void visitTypeInsn(int opcode, String owner) {
          if (isGrpc(owner) && references.add(owner)) {
            type(owner);
          }
        }
      };
    }
  }

  /**
   * Every abstract method a grpc supertype of {@code internalName} declares has a concrete one in
   * the class or its superclasses, or a default one in an interface. grpc-okhttp's own classes are
   * read from their class files (reflection on some would need optional libraries it refers to).
   */
  private void checkImplementsEveryAbstractMethod(String internalName) {
    Set<String> concrete = new HashSet<>();
    Set<String> abstractInGrpc = new HashSet<>();
    for (String supertype : supertypes(internalName)) {
      OwnClass own = ownClasses.get(supertype);
      if (own != null) {
        own.methods().forEach((method, access) -> {
          if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0) {
            concrete.add(method);
          }
        });
        continue;
      }
      Class<?> type = type(supertype);
      if (type == null) {
        continue;
      }
      for (Method method : type.getDeclaredMethods()) {
        String key = method.getName() + Type.getMethodDescriptor(method);
        if (Modifier.isAbstract(method.getModifiers())) {
          if (isGrpc(supertype)) {
            abstractInGrpc.add(key);
          }
        } else if (!Modifier.isStatic(method.getModifiers())) {
          concrete.add(key);
        }
      }
    }
    abstractInGrpc.removeAll(concrete);
    abstractInGrpc.forEach(method -> problems.add(internalName + " does not implement " + method));
  }

  /** The class and all its supertypes, by internal name. */
  private List<String> supertypes(String internalName) {
    List<String> found = new ArrayList<>();
    Deque<String> pending = new ArrayDeque<>(List.of(internalName));
    while (!pending.isEmpty()) {
      String next = pending.pop();
      if (found.contains(next)) {
        continue;
      }
      found.add(next);
      OwnClass own = ownClasses.get(next);
      if (own != null) {
        if (own.superName() != null) {
          pending.add(own.superName());
        }
        pending.addAll(own.interfaces());
        continue;
      }
      Class<?> type = type(next);
      if (type != null) {
        if (type.getSuperclass() != null) {
          pending.add(Type.getInternalName(type.getSuperclass()));
        }
        for (Class<?> implemented : type.getInterfaces()) {
          pending.add(Type.getInternalName(implemented));
        }
      }
    }
    return found;
  }

  /** The method as the JVM resolves a call: declared by the class or one of its supertypes. */
  private boolean hasMethod(String owner, String name, String descriptor) {
    Class<?> type = type(owner);
    if (type == null) {
      return true; // already reported as a missing class
    }
    if (name.equals("<init>")) {
      return Arrays.stream(type.getDeclaredConstructors())
          .anyMatch(constructor -> Type.getConstructorDescriptor(constructor).equals(descriptor));
    }
    return declaredBySupertypes(owner, Class::getDeclaredMethods).anyMatch(method -> matches(method, name, descriptor));
  }

  private boolean hasField(String owner, String name, String descriptor) {
    if (type(owner) == null) {
      return true; // already reported as a missing class
    }
    return declaredBySupertypes(owner, Class::getDeclaredFields)
        .anyMatch(field -> field.getName().equals(name) && Type.getDescriptor(field.getType()).equals(descriptor));
  }

  /** What the class and each of its supertypes (grpc's and the JDK's, loaded) declare. */
  private <T> Stream<T> declaredBySupertypes(String internalName, Function<Class<?>, T[]> declared) {
    return supertypes(internalName).stream().map(this::type).filter(Objects::nonNull)
        .flatMap(type -> Arrays.stream(declared.apply(type)));
  }

  private static boolean matches(Method method, String name, String descriptor) {
    return method.getName().equals(name) && Type.getMethodDescriptor(method).equals(descriptor);
  }

  private static boolean isGrpc(String internalName) {
    return internalName.startsWith("io/grpc/") && !internalName.startsWith("io/grpc/okhttp/");
  }

  private record OwnClass(int access, String superName, List<String> interfaces, Map<String, Integer> methods) {

    boolean isAbstract() {
      return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0;
    }
  }

  /** The class, loaded but not initialised; null, with a problem noted, when it is missing. */
  private Class<?> type(String internalName) {
    try {
      return Class.forName(internalName.replace('/', '.'), false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      problems.add("no class " + internalName + " (" + e + ")");
      return null;
    }
  }
}
