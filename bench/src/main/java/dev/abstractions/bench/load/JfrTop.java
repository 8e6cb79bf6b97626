package dev.abstractions.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording as markdown: the
 * hottest methods (top of stack), the code areas they belong to, the threads sampled, and the
 * project's own methods by inclusive samples (anywhere on the stack).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.abstractions.bench.load.JfrTop server.jfr [N] [--stack REGEX]</pre>
 *
 * With {@code --stack}, only the samples with a frame whose {@code Type.method} name contains a
 * match of REGEX count (e.g. {@code 'WriteTree|writeTree'}: the samples of tree writes, from the
 * request's parsing to the response's encoding, but not the transport's I/O they share with every
 * call).
 */
public final class JfrTop {

  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop RECORDING.jfr [TOP] [--stack REGEX]");
      System.exit(2);
    }
    int top = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 15;
    java.util.regex.Pattern stack = null;
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals("--stack")) {
        stack = java.util.regex.Pattern.compile(args[i + 1]);
      }
    }
    long all = 0;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> areas = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> ownInclusive = new HashMap<>();
    long samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      all++;
      if (stack != null && !anyFrameMatches(frames, stack)) {
        continue;
      }
      samples++;
      String topMethod = name(frames.get(0).getMethod());
      self.merge(topMethod, 1L, Long::sum);
      areas.merge(area(topMethod), 1L, Long::sum);
      String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
      threads.merge(thread == null ? "?" : thread.replaceAll("\\d+", "N"), 1L, Long::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = name(frame.getMethod());
        if (method.startsWith("dev.abstractions.") && seen.add(method)) {
          ownInclusive.merge(method, 1L, Long::sum);
        }
      }
    }
    System.out.println("CPU samples: " + samples + (stack == null ? ""
        : String.format(java.util.Locale.ROOT, " of %d (%.1f%%) with a frame matching %s", all,
            100.0 * samples / Math.max(1, all), stack.pattern())));
    print("Hottest methods (self, top of stack)", self, samples, top);
    print("Code areas (self)", areas, samples, top);
    print("Threads", threads, samples, top);
    print("Project methods (inclusive)", ownInclusive, samples, top);
  }

  /** Whether some frame's {@code Type.method} contains a match of {@code pattern}. */
  static boolean anyFrameMatches(List<RecordedFrame> frames, java.util.regex.Pattern pattern) {
    for (RecordedFrame frame : frames) {
      if (pattern.matcher(name(frame.getMethod())).find()) {
        return true;
      }
    }
    return false;
  }

  private static String name(RecordedMethod method) {
    return method == null ? "?" : method.getType().getName() + "." + method.getName();
  }

  /** A coarse bucket for a method: which library or layer it belongs to. */
  static String area(String method) {
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("io.grpc.netty.shaded.io.netty.", "netty (grpc-shaded)");
    prefixes.put("io.grpc.netty.shaded.io.grpc.netty.", "grpc-netty transport");
    prefixes.put("io.grpc.", "grpc-java core");
    prefixes.put("com.google.protobuf.", "protobuf");
    prefixes.put("dev.abstractions.server.store.", "server: store");
    prefixes.put("dev.abstractions.server.ops.", "server: ops");
    prefixes.put("dev.abstractions.server.events.", "server: events");
    prefixes.put("dev.abstractions.server.grpc.", "server: grpc adapters");
    prefixes.put("dev.abstractions.server.metrics.", "server: metrics");
    prefixes.put("dev.abstractions.", "server: other");
    prefixes.put("io.prometheus.", "prometheus metrics");
    prefixes.put("java.util.concurrent.", "java.util.concurrent");
    prefixes.put("java.", "JDK other");
    prefixes.put("jdk.", "JDK other");
    prefixes.put("sun.", "JDK other");
    for (Map.Entry<String, String> prefix : prefixes.entrySet()) {
      if (method.startsWith(prefix.getKey())) {
        return prefix.getValue();
      }
    }
    return "other";
  }

  private static void print(String title, Map<String, Long> counts, long samples, int top) {
    MarkdownTable table = new MarkdownTable(title, ">samples", ">share");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(e -> table.row(e.getKey(), Long.toString(e.getValue()),
            String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / Math.max(1, samples))));
    System.out.println();
    System.out.print(table.render());
  }
}
