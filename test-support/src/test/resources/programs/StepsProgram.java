import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Stops at each step named in its arguments after the first, then prints what the file named first holds: the test
 * writes there what it did at that step, so the output shows whether the step was done before the program went on.
 */
public class StepsProgram {
  public static void main(String[] args) throws Exception {
    BufferedReader control = new BufferedReader(new InputStreamReader(System.in));
    for (int i = 1; i < args.length; i++) {
      System.out.println("AWAIT -> " + args[i]);
      System.out.flush();
      if (control.readLine() == null) {
        throw new IllegalStateException("no go for " + args[i]);
      }
      System.out.println(args[i] + " saw " + Files.readString(Paths.get(args[0])));
    }
  }
}
