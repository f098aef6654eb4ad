package io.github.pb4j.interop;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs scenarios written in Java (each a function of the server port to a result text). */
public final class JavaScenarioClient implements ScenarioClient {
  /** One scenario: connects to the port, does its thing, returns its result text. */
  @FunctionalInterface
  public interface Scenario {
    String run(int port) throws Exception;
  }

  private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

  public JavaScenarioClient add(String name, Scenario scenario) {
    scenarios.put(name, scenario);
    return this;
  }

  @Override
  public String run(String scenario, int port) throws Exception {
    Scenario s = scenarios.get(scenario);
    if (s == null) {
      return "UNKNOWN SCENARIO";
    }
    try {
      return s.run(port);
    } catch (Exception e) {
      Throwable t = e;
      while ((t instanceof java.util.concurrent.ExecutionException
          || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
        t = t.getCause();
      }
      return "EXCEPTION " + Results.failureText(t);
    }
  }

  @Override
  public void close() {}
}
