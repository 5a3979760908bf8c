package io.memtrace.collector.web;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is signed in to the web view. {@code serve} prints a link with a one-time sign-in token;
 * the first request that carries it gets a session and the token is spent, so a link left in a
 * terminal's scroll-back or a shell history opens nothing a second time. A session is a random id
 * in an {@code HttpOnly}, {@code SameSite=Strict} cookie: page scripts cannot read it and other
 * sites' requests do not carry it. Only SHA-256 hashes of session ids are kept, so a lookup's
 * timing says nothing about a valid id. Sessions live in memory: a restart signs everyone out.
 */
public final class WebSessions {

  /** How long a session lasts after its last sign-in. */
  static final long MAX_AGE_SECONDS = 7 * 24 * 3600;
  /** Sessions kept at most; the oldest goes first. */
  static final int MAX_SESSIONS = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String cookieName;
  private final Map<String, Long> sessions = new LinkedHashMap<>();
  private String signInToken;

  /**
   * @param port the server's port: cookies are shared by every port of a host, so two collectors
   *             on one machine need cookies of different names
   */
  public WebSessions(int port) {
    this.cookieName = "memtrace-session-" + port;
    this.signInToken = random();
  }

  /**
   * Whether the browser says the request comes from a page of this origin: {@code Sec-Fetch-Site:
   * same-origin}, or, from a browser that sends no fetch metadata, an {@code Origin} equal to
   * {@code http://} and the {@code Host}. Non-browser clients send the token instead:
   * a session cookie counts only on such a request.
   */
  public static boolean sameOrigin(HttpExchange exchange) {
    String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null) {
      return site.equals("same-origin");
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    return origin != null && host != null && origin.equalsIgnoreCase("http://" + host);
  }

  /** The one-time token of the link {@code serve} prints; null once it was used. */
  public synchronized String signInToken() {
    return signInToken;
  }

  /** A new one-time token, replacing the last one, used or not. */
  public synchronized String newSignInToken() {
    signInToken = random();
    return signInToken;
  }

  /** Spends the one-time token: a new session id when {@code given} is it, else null. */
  public String redeem(String given) {
    synchronized (this) {
      if (signInToken == null || given == null || !MessageDigest.isEqual(bytes(signInToken), bytes(given))) {
        return null;
      }
      signInToken = null;
    }
    return start();
  }

  /** A new session; its id goes into the cookie. */
  public synchronized String start() {
    String id = random();
    long now = System.currentTimeMillis();
    sessions.values().removeIf(expiry -> expiry < now);
    Iterator<String> oldest = sessions.keySet().iterator();
    while (sessions.size() >= MAX_SESSIONS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    sessions.put(hash(id), now + MAX_AGE_SECONDS * 1000);
    return id;
  }

  /** Whether a {@code Cookie} request header carries a live session of this server. */
  public boolean valid(String cookieHeader) {
    String id = sessionId(cookieHeader);
    if (id == null) {
      return false;
    }
    synchronized (this) {
      Long expiry = sessions.get(hash(id));
      return expiry != null && expiry >= System.currentTimeMillis();
    }
  }

  /** Ends the session the cookie names, if any. */
  public void end(String cookieHeader) {
    String id = sessionId(cookieHeader);
    if (id != null) {
      synchronized (this) {
        sessions.remove(hash(id));
      }
    }
  }

  /** The {@code Set-Cookie} value that gives a browser this session. */
  public String cookie(String id) {
    return cookieName + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + MAX_AGE_SECONDS;
  }

  /** The {@code Set-Cookie} value that removes it. */
  public String expiredCookie() {
    return cookieName + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  private String sessionId(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (String part : cookieHeader.split(";")) {
      String p = part.strip();
      if (p.startsWith(cookieName + "=")) {
        return p.substring(cookieName.length() + 1);
      }
    }
    return null;
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String hash(String id) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(id)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
