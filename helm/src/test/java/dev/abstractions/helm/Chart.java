package dev.abstractions.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in helm/abstractions as real Helm (helm-java's bundled library) renders it: release
 * {@value #RELEASE} in namespace {@value #NAMESPACE}, on the oldest Kubernetes the chart supports.
 * Each {@link #render} is a fresh {@code helm template}.
 *
 * <p>helm-java's template returns the release's manifest without its hooks (the helm CLI prints
 * both), so the {@code helm test} pod would never be seen. {@link #render} therefore renders a
 * copy of the chart, made once, whose hook annotation keys are prefixed with {@value #UNHOOKED}:
 * Helm then treats hooks as plain resources, and the tests read the annotations under that name.
 * {@link #helm()} (lint) uses the chart itself.
 */
final class Chart {

  static final String RELEASE = "demo";
  static final String NAMESPACE = "shop";
  /** The release's resource name: {@code <release>-<chart>}. */
  static final String FULLNAME = RELEASE + "-abstractions";
  /** Chart.yaml's kubeVersion floor; Helm's own default (1.20) is below it and would be refused. */
  static final String KUBE_VERSION = "1.24.0";

  static final Path REPOSITORY = repositoryRoot();
  static final Path DIRECTORY = REPOSITORY.resolve("helm/abstractions");
  /** The prefix that turns {@code helm.sh/hook...} annotations into ordinary ones in the rendered copy. */
  static final String UNHOOKED = "unhooked.";
  private static final Path UNHOOKED_COPY = unhookedCopy();

  private Chart() {}

  static Helm helm() {
    return new Helm(DIRECTORY);
  }

  /** The rendered manifests, with {@code sets} as {@code --set key=value}. */
  static Manifests render(Map<String, String> sets) {
    return render(sets, "");
  }

  /**
   * The rendered manifests, with {@code valuesYaml} as a {@code -f} values file and {@code sets} as
   * {@code --set}. Fractions need the file: {@code --set} reads 0.25 as a string, as Helm does.
   */
  static Manifests render(Map<String, String> sets, String valuesYaml) {
    TemplateCommand template = new Helm(UNHOOKED_COPY).template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    sets.forEach(template::set);
    if (!valuesYaml.isEmpty()) {
      try {
        Path file = Files.createTempFile("values", ".yaml");
        file.toFile().deleteOnExit();
        template.withValuesFile(Files.writeString(file, valuesYaml));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml().loadAll(template.call())) {
      if (document != null) {
        documents.add(Manifests.map(document));
      }
    }
    return new Manifests(documents);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** values.yaml, parsed. */
  static Map<String, Object> values() {
    return Manifests.map(new Yaml().load(read(DIRECTORY.resolve("values.yaml"))));
  }

  static String describe(Map<String, String> sets) {
    return sets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }

  private static Path unhookedCopy() {
    try {
      Path copy = Files.createTempDirectory("abstractions-chart");
      try (Stream<Path> files = Files.walk(DIRECTORY)) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(DIRECTORY.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.writeString(target, read(file).replace("helm.sh/hook", UNHOOKED + "helm.sh/hook"));
          }
          target.toFile().deleteOnExit();
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("helm/abstractions/Chart.yaml"))) {
        return dir;
      }
    }
    throw new AssertionError("no helm/abstractions/Chart.yaml above " + Path.of("").toAbsolutePath());
  }
}
