package dev.abstractions.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GitHub-flavoured markdown table: a header, rows of cells, columns padded to line up in plain
 * text too. Cells containing {@code |} are escaped; missing cells are blank, extra cells are an
 * error. Not thread-safe; build on one thread.
 */
public final class MarkdownTable {

  private final List<String> header;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** Columns named {@code header}; a name starting with '>' is right-aligned (the '>' is dropped). */
  public MarkdownTable(String... header) {
    if (header.length == 0) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    this.rightAligned = new boolean[header.length];
    List<String> names = new ArrayList<>(header.length);
    for (int i = 0; i < header.length; i++) {
      rightAligned[i] = header[i].startsWith(">");
      names.add(rightAligned[i] ? header[i].substring(1) : header[i]);
    }
    this.header = List.copyOf(names);
  }

  /** Adds a row; fewer cells than columns leaves the rest blank. */
  public MarkdownTable row(String... cells) {
    if (cells.length > header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells for " + header.size() + " columns: " + Arrays.toString(cells));
    }
    List<String> row = new ArrayList<>(header.size());
    for (int i = 0; i < header.size(); i++) {
      row.add(i < cells.length && cells[i] != null ? escape(cells[i]) : "");
    }
    rows.add(row);
    return this;
  }

  public int rowCount() {
    return rows.size();
  }

  /** The table, one line per row, each ending with a newline. */
  public String render() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(3, header.get(i).length());
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    out.append('|');
    for (int i = 0; i < widths.length; i++) {
      out.append(' ').append("-".repeat(widths[i] - (rightAligned[i] ? 1 : 0)));
      out.append(rightAligned[i] ? ":" : "").append(" |");
    }
    out.append('\n');
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      String padding = " ".repeat(widths[i] - cell.length());
      out.append(' ').append(rightAligned[i] ? padding + cell : cell + padding).append(" |");
    }
    out.append('\n');
  }

  private static String escape(String cell) {
    return cell.replace("\n", " ").replace("|", "\\|");
  }
}
