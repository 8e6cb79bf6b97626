package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  @Test
  void columnsArePaddedToTheWidestCellAndRightAlignedWhenAsked() {
    String rendered = new MarkdownTable("scenario", ">throughput /s")
        .row("echo", "123,456")
        .row("(a) Update", "98")
        .render();

    assertThat(rendered).isEqualTo(
        "| scenario   | throughput /s |\n"
            + "| ---------- | ------------: |\n"
            + "| echo       |       123,456 |\n"
            + "| (a) Update |            98 |\n");
  }

  @Test
  void pipesInCellsAreEscapedAndNewlinesFlattened() {
    String rendered = new MarkdownTable("note").row("a|b\nc").render();

    assertThat(rendered).contains("| a\\|b c |");
  }

  @Test
  void missingCellsAreBlankAndExtraCellsAreRefused() {
    MarkdownTable table = new MarkdownTable("a", "b", "c").row("1");

    assertThat(table.render()).endsWith("| 1   |     |     |\n");
    assertThatThrownBy(() -> table.row("1", "2", "3", "4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 cells for 3 columns");
  }

  @Test
  void everyLineHasTheSameWidth() {
    String rendered = new MarkdownTable("x", ">y").row("long cell here", "1").row("", "22222").render();

    assertThat(rendered.lines().mapToInt(String::length).distinct()).hasSize(1);
  }
}
