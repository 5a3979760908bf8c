"""The reference Python MCP client (PyPI's mcp) asking memtrace's MCP server, for McpPythonClientTest.

usage: client.py stdio CALLS_JSON COMMAND...   (starts the server itself, as a desktop assistant does)
       client.py http CALLS_JSON URL TOKEN
Prints one JSON document: the server's name, its tools with their schemas, and each call's answer.
"""
import asyncio
import json
import sys

import httpx2
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


async def ask(session, calls):
    init = await session.initialize()
    tools = await session.list_tools()
    answers = {}
    for name, arguments in calls:
        key = name if name not in answers else name + "#" + str(len(answers))
        try:
            result = await session.call_tool(name, arguments)
            answers[key] = {"error": bool(result.is_error), "text": result.content[0].text if result.content else ""}
        except Exception as e:  # a protocol error (an unknown tool) is raised, not returned
            answers[key] = {"error": True, "raised": True, "text": str(e)}
    return {"server": init.server_info.name, "protocol": init.protocol_version,
            "tools": [{"name": t.name, "inputSchema": t.input_schema, "readOnly": t.annotations.read_only_hint}
                      for t in tools.tools],
            "answers": answers}


async def over_stdio(calls, command):
    params = StdioServerParameters(command=command[0], args=command[1:])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            return await ask(session, calls)


async def over_http(calls, url, token):
    # the bearer token on every request, through the client the transport is given (the package's 2.x way)
    client = httpx2.AsyncClient(headers={"Authorization": "Bearer " + token}, timeout=120)
    async with streamable_http_client(url, http_client=client) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            return await ask(session, calls)


def main():
    mode, calls = sys.argv[1], json.loads(sys.argv[2])
    if mode == "stdio":
        answer = asyncio.run(over_stdio(calls, sys.argv[3:]))
    else:
        answer = asyncio.run(over_http(calls, sys.argv[3], sys.argv[4]))
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
