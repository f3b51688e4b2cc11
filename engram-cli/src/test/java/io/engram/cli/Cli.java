package io.engram.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the engram command line in-process and captures its output. */
final class Cli {

  /** Exit status, stdout and stderr of one run. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = EngramCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }
}
