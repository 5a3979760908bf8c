/** Says "ready" and waits, for a minute at most: a JVM for a test to kill. */
public class IdleProgram {

  public static void main(String[] args) throws Exception {
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
