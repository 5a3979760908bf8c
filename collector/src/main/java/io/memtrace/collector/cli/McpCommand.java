package io.memtrace.collector.cli;

import io.memtrace.collector.mcp.LingeringReaders;
import io.memtrace.collector.mcp.McpServers;
import io.memtrace.collector.mcp.MemtraceTools;
import io.memtrace.collector.mcp.ToolContext;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = {"Serves memtrace's answers to an AI assistant over MCP (Model Context Protocol) on stdin and stdout.",
        "An assistant starts it as a subprocess (its MCP configuration names this command) and asks the tools:",
        "memory_overview, find_traces, trace_memory, key_timeline, model_call_memory, memory_as_of and query. Every",
        "answer is bounded and read-only; nothing is written to the store or to Redis. It reads --data (through the",
        "collector serving it, when one runs) or --clickhouse, as the other reading commands do; `serve` offers the",
        "same tools at /mcp on its port (Streamable HTTP, behind its API token). Messages go to stderr only."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:The assistant closed stdin.",
        "1:The command failed before serving; the message on stderr says why.",
        "2:Usage error, as for every command."})
final class McpCommand implements Callable<Integer> {

  @Mixin
  SourceOptions source;

  @Mixin
  TenantOption tenant;

  @Override
  public Integer call() throws InterruptedException {
    // stdout carries the protocol's messages only: anything else printed would break the client's reading of them
    PrintStream protocol = System.out;
    System.setOut(System.err);
    // one reader kept between calls that come close together, closed after 10 s without one
    MemtraceTools tools = new MemtraceTools(new ToolContext(new LingeringReaders(() -> source.open(false), 10_000),
        tenant.rule(), source.clickhouse == null ? source.data : null));
    System.err.println("memtrace MCP server on stdio, reading " + (source.clickhouse != null ? "ClickHouse"
        : source.server != null ? source.server.toString() : source.data.toString()));
    McpServers.serveStdio(tools, System.in, protocol);
    return 0;
  }
}
