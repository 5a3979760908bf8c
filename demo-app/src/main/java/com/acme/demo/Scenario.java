package com.acme.demo;

import com.acme.fleet.QeCoverageAnalyzerAgent;
import com.acme.fleet.QeFleetCommanderAgent;
import com.acme.fleet.QeTestExecutorAgent;
import com.acme.fleet.QeTestGeneratorAgent;
import com.acme.fleet.Workflow;
import com.acme.memory.MemoryManager;
import com.acme.memory.layers.CacheMemory;
import com.acme.memory.layers.DeepMemory;
import com.acme.memory.layers.PafStore;
import com.acme.memory.layers.SessionMemory;
import com.acme.planner.Planner;
import com.acme.planner.PlannerMemoryStore;
import com.acme.planner.PlannerModel;
import java.io.PrintStream;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/**
 * The "Test Plan Creation and Execution" run, then a session that uses all four memory layers (session, cache,
 * deep memory and the PAF store), then two planning turns that give a model (a stand-in the demo starts) the
 * planner's chat memory. Prints what each step returned.
 */
record Scenario(JedisPooled redis, MemoryManager memory, PrintStream out) {

  /** The planner's conversation: its chat memory's id. */
  private static final String PLANNING = "planning-user-service";

  void run() throws Exception {
    prepare();
    Workflow workflow = new Workflow();
    QeTestGeneratorAgent generator = new QeTestGeneratorAgent(memory);
    QeTestExecutorAgent executor = new QeTestExecutorAgent(memory);
    QeCoverageAnalyzerAgent analyzer = new QeCoverageAnalyzerAgent(memory);
    QeFleetCommanderAgent commander = new QeFleetCommanderAgent(memory);
    workflow.run("Test Plan Creation and Execution", () -> {
      out.println("generate: plan for " + generator.generate("UserService").testSuite());
      out.println("execute: " + executor.execute() + " of 3 tests passed");
      out.println("analyze: coverage report over " + analyzer.analyze() + " plans");
      out.println("cleanup: plan deleted=" + commander.cleanup());
      out.println("recheck: test-plan-invalid exists=" + executor.recheck());
      out.println("audit: " + commander.audit());
    });
    workflow.run("Layered memory session", this::layers);
    try (PlannerModel model = PlannerModel.start()) {
      out.println("planner: its model is a stand-in, an OpenAI-compatible server this demo started on "
          + model.baseUrl() + " (no real model: it answers a fixed plan)");
      Planner planner = new Planner(model.baseUrl(), new PlannerMemoryStore(redis), PLANNING);
      workflow.run("Planning with a model", () -> {
        out.println("plan 1: " + planner.plan("What should the fleet do next for UserService?"));
        out.println("plan 2: " + planner.plan("Two tests failed on the last run. What now?"));
      });
    }
  }

  /** Other plans the search finds, and a history kept as a list (so reading it as a document fails). */
  private void prepare() {
    for (String service : List.of("auth-service", "inventory-service", "order-service", "payment-service")) {
      redis.setex("aqe/test-plans:test-plan-" + service, 3600, "{\"testSuite\":\"" + service + "\"}");
    }
    redis.del("aqe/test-plans:test-plan-invalid", "aqe/test-plans:run-history", "aqe/planner:" + PLANNING);
    redis.rpush("aqe/test-plans:run-history", "run-1", "run-2", "run-3");
  }

  private void layers() {
    SessionMemory session = new SessionMemory(redis);
    CacheMemory cache = new CacheMemory(redis);
    DeepMemory deep = new DeepMemory(redis);
    PafStore paf = new PafStore(redis);

    session.addMessage("auth-session-001", "user", "Implement JWT authentication with refresh tokens");
    out.println("session: " + session.addMessage("auth-session-001", "assistant", "Planned: PyJWT, rotation of refresh tokens") + " messages");
    cache.put("jwt-libraries", "PyJWT is lighter than python-jose", 3600);
    // a login's state kept for one second: Redis expires it before the callback reads it (the demo's timeline)
    cache.put("oauth-state", "state for a login in progress", 1);
    out.println("cache: hit=" + (cache.get("jwt-libraries") != null) + " miss=" + (cache.get("oauth-providers") == null)
        + " recent=" + cache.recent(24).size());
    deep.create("Refresh token rotation: issue a new refresh token on every use", List.of("pattern", "jwt"));
    deep.create("JWT validation failures came from clock skew; allow 60s leeway", List.of("jwt", "error"));
    out.println("deep: " + deep.search("jwt", List.of("jwt"), 5).size() + " memories about jwt");
    paf.addFact("AUTH", "001", "Use PyJWT for token generation and validation", "lightweight and maintained");
    expire();
    out.println("cache: oauth-state after its TTL found=" + (cache.get("oauth-state") != null));
    out.println("paf: PyJWT holds=" + paf.validate("AUTH", "001", "PyJWT").holds()
        + ", python-jose holds=" + paf.validate("AUTH", "001", "python-jose").holds());
  }

  /** Waits out the one-second TTL of the login state, so the read after it finds the value expired. */
  private static void expire() {
    try {
      Thread.sleep(1_500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
