/** Prints its arguments and the environment variables named in them, then exits with the code it was given. */
public class EchoProgram {
  public static void main(String[] args) throws Exception {
    int code = Integer.parseInt(args[0]);
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("sleep")) {
        Thread.sleep(60_000);
      }
      System.out.println(args[i] + "=" + System.getenv(args[i]));
    }
    System.err.println("done");
    System.exit(code);
  }
}
