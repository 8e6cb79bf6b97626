package dev.abstractions.cli;

import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.client.OperationOptions;
import java.util.Locale;

/** The kinds of writer the demo runs: a priority class, and for {@link #P8} an explicit priority. */
enum WriterClass {
  LOW(PriorityClass.LOW, 0, "LOW class, priority 2, 3 retries"),
  NORMAL(PriorityClass.NORMAL, 0, "NORMAL class, priority 5, 5 retries"),
  P8(PriorityClass.NORMAL, 8, "NORMAL class at priority 8, 5 retries"),
  STRUCTURAL(PriorityClass.STRUCTURAL, 0, "STRUCTURAL class, priority 10, 20 retries");

  private final PriorityClass priorityClass;
  private final int priority;
  private final String description;

  WriterClass(PriorityClass priorityClass, int priority, String description) {
    this.priorityClass = priorityClass;
    this.priority = priority;
    this.description = description;
  }

  String description() {
    return description;
  }

  /** How this writer's operations run; their op_type names the class, e.g. {@code demo-p8}. */
  OperationOptions options() {
    OperationOptions.Builder options = OperationOptions.builder(priorityClass)
        .opType("demo-" + name().toLowerCase(Locale.ROOT));
    if (priority > 0) {
      options.priority(priority);
    }
    return options.build();
  }
}
