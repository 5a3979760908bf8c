package io.memtrace.collector.it;

import com.microsoft.playwright.Page;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Screenshots of a running collector's web view, for looking at while working on it:
 * {@code WebShots URL TOKEN OUTDIR HASH...} writes one PNG per route (e.g. {@code #/keys}).
 */
final class WebShots {

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    Path out = Paths.get(args[2]);
    try (Chromium chromium = Chromium.start(); Chromium.Tab tab = chromium.tab(base).signIn(args[1])) {
      for (int i = 3; i < args.length; i++) {
        Page page = tab.go(args[i]);
        page.waitForLoadState();
        page.waitForTimeout(2500);
        String name = args[i].replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        page.screenshot(new Page.ScreenshotOptions().setPath(out.resolve((name.isEmpty() ? "root" : name) + ".png")).setFullPage(true));
      }
      System.out.println("requests: " + tab.requests.size() + ", console: " + tab.consoleErrors + ", page errors: "
          + tab.pageErrors + ", dialogs: " + tab.dialogs);
    }
  }
}
