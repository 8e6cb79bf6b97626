package dev.abstractions.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * A counter's data points by a small dense index (an enum ordinal, say), each looked up by its
 * labels on first use and kept: the hot path then costs an array read, not a label lookup. A
 * series appears in the exposition only once something counted it. Thread-safe: racing first uses
 * look up the same data point.
 */
final class CounterPoints {

  private final AtomicReferenceArray<CounterDataPoint> points;
  private final IntFunction<CounterDataPoint> lookup;

  CounterPoints(int size, IntFunction<CounterDataPoint> lookup) {
    this.points = new AtomicReferenceArray<>(size);
    this.lookup = lookup;
  }

  void inc(int index) {
    CounterDataPoint point = points.get(index);
    if (point == null) {
      point = lookup.apply(index);
      points.set(index, point);
    }
    point.inc();
  }
}
