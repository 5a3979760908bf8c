package io.memtrace.collector.it;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium driven by Playwright for Java, which is told never to download a
 * browser of its own. The flags are the ones this closed network needs: without
 * {@code --disable-background-networking} and the rest, Chromium calls Google's hosts at start.
 * Under CI ({@code CI=true}) a missing browser fails the tests (.ci/run installs it); elsewhere
 * they are skipped, saying so.
 */
final class Chromium implements AutoCloseable {

  static final Path BINARY = Paths.get(System.getenv().getOrDefault("MEMTRACE_CHROMIUM", "/usr/bin/chromium"));
  static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
      "--disable-extensions", "--mute-audio", "--font-render-hinting=none");

  /** How long a page or an assertion may wait before the test calls the page stuck. */
  static final int HANG_GUARD_MS = 180_000;

  private final Playwright playwright;
  final Browser browser;

  private Chromium() {
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(BINARY).setHeadless(true)
        .setArgs(FLAGS));
  }

  static Chromium start() {
    // a hang guard, not a measure of speed: an assertion passes as soon as the page shows what it expects, and the
    // page's answers (a report from ClickHouse beside a build's other tests, on a fresh machine beside Go builds) have
    // taken past 29 s; only a page that never shows it waits this long
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(HANG_GUARD_MS);
    if (!Files.isExecutable(BINARY)) {
      String message = "no Chromium at " + BINARY + ": apt-get install chromium (or set MEMTRACE_CHROMIUM)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(message + "; CI must install it (.ci/run does)");
      }
      Assumptions.abort(message + "; the browser tests are skipped");
    }
    return new Chromium();
  }

  /** A fresh browser profile (no cookies) that records everything the page does. */
  Tab tab(URI base) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900)
        .setDeviceScaleFactor(1.0).setLocale("en-US").setTimezoneId("UTC"));
    return new Tab(base, context);
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }

  /** One page in its own context, with every request, console message, dialog and page error recorded. */
  static final class Tab implements AutoCloseable {
    final URI base;
    final BrowserContext context;
    final Page page;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
    final List<String> dialogs = Collections.synchronizedList(new ArrayList<>());
    final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());

    Tab(URI base, BrowserContext context) {
      this.base = base;
      this.context = context;
      // requests of every page of the context, service workers and pop-ups included
      context.onRequest(r -> requests.add(r.url()));
      context.onPage(p -> p.onDialog(d -> {
        dialogs.add(d.type() + ": " + d.message());
        d.dismiss();
      }));
      this.page = context.newPage();
      page.onConsoleMessage(m -> {
        if (m.type().equals("error") || m.type().equals("warning")) {
          consoleErrors.add(m.type() + ": " + m.text());
        }
      });
      page.onPageError(e -> pageErrors.add(e));
      page.setDefaultTimeout(HANG_GUARD_MS);
    }

    /** Signs in as a person would without the link: the sign-in page, the API token, submit. */
    Tab signIn(String token) {
      page.navigate(base.toString());
      page.fill("#token", token);
      page.click("button[type=submit]");
      page.waitForSelector("#nav a");
      return this;
    }

    Page go(String hash) {
      page.navigate(base.resolve("/" + hash).toString());
      return page;
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
