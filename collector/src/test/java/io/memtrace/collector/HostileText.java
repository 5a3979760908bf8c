package io.memtrace.collector;

import java.util.List;

/**
 * Strings an attacker can put into span names, keys and attribute values through an application's
 * input: terminal escapes (retitle, clear, clipboard), C1 controls, bidirectional overrides, and
 * markup aimed at a web page. The terminal views and the web view are tested with the same list.
 */
public final class HostileText {

  /** OSC 2: sets the terminal's title. */
  public static final String RETITLE = "\u001b]2;pwned\u0007";
  /** CSI 2 J: clears the screen. */
  public static final String CLEAR = "\u001b[2J";
  /** OSC 52: writes the clipboard. */
  public static final String CLIPBOARD = "\u001b]52;c;cm0gLXJmIH4=\u0007";
  /** The 8-bit CSI of the C1 set, which some terminals obey like ESC [. */
  public static final String C1_CSI = "\u009b2J";
  /** A right-to-left override that makes "txt.exe" read as "exe.txt". */
  public static final String BIDI = "report\u202etxt.exe";
  public static final String SCRIPT = "<script>alert('key')</script>";
  public static final String HANDLER = "\"><img src=x onerror=alert(1)>";
  public static final String JS_URL = "javascript:alert(document.cookie)";
  public static final String NEWLINE = "line1\nINJECTED: fake line\r\u0008";

  public static final List<String> ALL = List.of(RETITLE, CLEAR, CLIPBOARD, C1_CSI, BIDI, SCRIPT, HANDLER, JS_URL,
      NEWLINE);

  /** The strings a terminal obeys or shows other than as written. */
  public static final List<String> FOR_TERMINALS = List.of(RETITLE, CLEAR, CLIPBOARD, C1_CSI, BIDI, NEWLINE);

  private HostileText() {
  }

  /** The first character of {@code out} a terminal would obey rather than print; -1 when none. */
  public static int firstHidden(String out, boolean newlinesAllowed) {
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      // written out here rather than asking Visible, so that a character Visible forgets fails the test
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      boolean bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
      if ((control || bidi) && !(newlinesAllowed && c == '\n')) {
        return i;
      }
    }
    return -1;
  }
}
