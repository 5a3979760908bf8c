package io.memtrace.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WebAssetsTest {

  private static final Path WEB = Paths.get("src/main/resources/web");

  @Test
  void shouldServeEveryFileOfTheViewAndTheChartLibrary() throws Exception {
    List<String> files;
    try (Stream<Path> all = Files.walk(WEB)) {
      files = all.filter(Files::isRegularFile).map(f -> WEB.relativize(f).toString().replace('\\', '/'))
          .filter(f -> !f.equals("manifest.txt")).sorted().collect(Collectors.toList());
    }
    WebAssets assets = WebAssets.load();
    for (String f : files) {
      assertThat(f.endsWith(".html") ? assets.document(f) : assets.asset(f)).as("%s is listed in manifest.txt", f).isNotNull();
    }
    assertThat(assets.asset("vendor/uPlot.esm.js")).isNotNull();
    assertThat(assets.all()).hasSize(files.size() + 2);
  }

  @Test
  void shouldNameTheAssetsByTheirHashInThePages() {
    WebAssets assets = WebAssets.load();
    String index = new String(assets.document("index.html").plain(), StandardCharsets.UTF_8);
    assertThat(assets.version()).matches("[0-9a-f]{12}");
    assertThat(index).contains("src=\"/assets/" + assets.version() + "/js/app.js\"").doesNotContain("{{assets}}");
    assertThat(assets.asset("js/app.js").gzip().length).isLessThan(assets.asset("js/app.js").plain().length);
  }

  @Test
  void shouldPreloadEveryModuleOfTheAppSoThatTheyAreFetchedAtOnce() throws Exception {
    String index = Files.readString(WEB.resolve("index.html"));
    try (Stream<Path> scripts = Files.walk(WEB.resolve("js"))) {
      for (Path js : scripts.filter(p -> p.toString().endsWith(".js")).collect(Collectors.toList())) {
        String module = WEB.relativize(js).toString().replace('\\', '/');
        if (!module.equals("js/app.js") && !module.equals("js/signin.js")) {
          assertThat(index).as("index.html preloads %s", module).contains("<link rel=\"modulepreload\" href=\"{{assets}}" + module + "\">");
        }
      }
    }
  }

  @Test
  void shouldHaveNoInlineScriptOrStyleForThePolicyToRefuse() throws Exception {
    for (String page : List.of("index.html", "signin.html")) {
      String html = Files.readString(WEB.resolve(page));
      assertThat(html).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain("<style")
          .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=").doesNotContain("javascript:");
    }
    try (Stream<Path> scripts = Files.walk(WEB.resolve("js"))) {
      for (Path js : scripts.filter(p -> p.toString().endsWith(".js")).collect(Collectors.toList())) {
        // the policy's Trusted Types would throw on these at run time; none may be written at all
        assertThat(Files.readString(js)).as(js.toString()).doesNotContain("innerHTML").doesNotContain("outerHTML")
            .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(");
      }
    }
    assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY).contains("script-src 'self'", "require-trusted-types-for 'script'")
        .doesNotContain("unsafe");
  }
}
