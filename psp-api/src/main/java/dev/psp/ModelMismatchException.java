package dev.psp;

import java.util.List;

/**
 * A state_dict does not fit the architecture its {@code opts} describe: missing, unexpected or
 * mis-shaped keys. The message is one line with the count, the first {@value #SHOWN} problems and,
 * where the SDK can tell, what to change; {@link #problems()} lists them all.
 */
public class ModelMismatchException extends PspException {
  /** How many problems the message shows. */
  public static final int SHOWN = 3;

  private final List<String> problems;

  /** Creates the exception from the list of problems, one line each. */
  public ModelMismatchException(String context, List<String> problems) {
    this(context, problems, null);
  }

  /** Creates the exception from the list of problems and a hint on what to change (null for none). */
  public ModelMismatchException(String context, List<String> problems, String hint) {
    super(message(context, problems, hint));
    this.problems = List.copyOf(problems);
  }

  private static String message(String context, List<String> problems, String hint) {
    StringBuilder sb = new StringBuilder(context).append(": ").append(problems.size())
        .append(problems.size() == 1 ? " problem: " : " problems: ");
    sb.append(String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size()))));
    if (problems.size() > SHOWN) {
      sb.append("; and ").append(problems.size() - SHOWN).append(" more");
    }
    if (hint != null) {
      sb.append(". ").append(hint);
    }
    return sb.toString();
  }

  /** The individual problems, one line each. */
  public List<String> problems() {
    return problems;
  }
}
