package dev.psp;

import java.util.List;

/**
 * A state_dict does not fit the architecture its {@code opts} describe: missing, unexpected or
 * mis-shaped keys, all reported in one message.
 */
public class ModelMismatchException extends PspException {
  private final List<String> problems;

  /** Creates the exception from the list of problems, one line each. */
  public ModelMismatchException(String context, List<String> problems) {
    super(context + ": " + problems.size() + " problem(s)\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The individual problems, one line each. */
  public List<String> problems() {
    return problems;
  }
}
