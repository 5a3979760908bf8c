"""A test-only HTTP front over chDB: the part of ClickHouse's HTTP interface that clickhouse-java (client-v2) and
clickhouse-go (inside the OpenTelemetry Collector's clickhouseexporter) use, answered by the real engine in-process.

Not a server to run anything on: one chDB connection behind one lock, every result buffered. What it speaks:
- POST or GET on /, with the query in the `query` parameter, in the body, or both (ClickHouse joins them);
- `database` parameter or X-ClickHouse-Database header (a USE before each query);
- credentials from X-ClickHouse-User / X-ClickHouse-Key, Basic auth or user/password parameters, checked against the
  one configured user (code 516, HTTP 403 when wrong, as ClickHouse answers);
- `decompress=1`: a request body in ClickHouse's block compression (CityHash128 checksum, LZ4 / ZSTD / none), and
  `compress=1`: the response in the same framing (LZ4); Content-Encoding gzip / deflate / zstd / lz4 on requests;
- `INSERT ... FORMAT X` followed by data, run as `INSERT ... FROM INFILE` over a temporary file;
- the output format from the query's FORMAT clause, X-ClickHouse-Format, or `default_format`;
- `param_NAME` query parameters ({NAME:Type} in the SQL);
- `readonly=1|2`: anything but a reading statement is refused with code 164, as ClickHouse does;
- the query limits in the URL (`max_execution_time`, `max_result_rows`, ... see LIMITS) set for that query alone,
  so the engine itself enforces them (code 159 on a timeout, 396 on too many rows);
- the connect query of clickhouse-go (SELECT displayName(), version(), revision(), timezone()) answered with
  revision 0, so the client reads plain Native blocks (chDB writes no BlockInfo header); when the client sends
  client_protocol_version it reads that answer in its own revision's Native, which the front then writes itself;
- errors as ClickHouse writes them: `Code: N. DB::Exception: ... (NAME) (version V)` with the HTTP status ClickHouse
  maps that code to and the X-ClickHouse-Exception-Code header.
Other settings in the URL are accepted and ignored.
"""

import argparse
import base64
import gzip
import http.server
import json
import os
import re
import socketserver
import shutil
import struct
import sys
import threading
import time
import urllib.parse
import zlib

import chdb
import lz4.block
import zstandard
from clickhouse_cityhash.cityhash import CityHash128

# ClickHouse's HTTP status for an exception code (src/Server/HTTPHandler.cpp's exceptionCodeToHTTPStatus, in short)
STATUS_BY_CODE = {
    194: 401,                                   # REQUIRED_PASSWORD
    192: 403, 193: 403, 516: 403, 497: 403,     # UNKNOWN_USER, WRONG_PASSWORD, AUTHENTICATION_FAILED, ACCESS_DENIED
    164: 403,                                   # READONLY
    62: 400, 27: 400, 6: 400, 41: 400, 38: 400, 72: 400, 1001: 400, 46: 400, 43: 400, 36: 400,
    60: 404, 81: 404, 16: 404, 47: 404,         # UNKNOWN_TABLE, UNKNOWN_DATABASE, NO_SUCH_COLUMN, UNKNOWN_IDENTIFIER
    159: 504, 209: 504, 210: 504,               # TIMEOUT_EXCEEDED, SOCKET_TIMEOUT, NETWORK_ERROR
    241: 507,                                   # MEMORY_LIMIT_EXCEEDED
}
NAME_BY_CODE = {516: "AUTHENTICATION_FAILED", 164: "READONLY", 62: "SYNTAX_ERROR", 81: "UNKNOWN_DATABASE",
                 1000: "POCO_EXCEPTION", 432: "UNKNOWN_CODEC", 271: "CANNOT_DECOMPRESS"}

# settings a client may send per query that the engine enforces; set before the query and back to DEFAULT after
LIMITS = {"max_execution_time", "max_result_rows", "max_result_bytes", "result_overflow_mode", "max_rows_to_read",
          "max_bytes_to_read", "read_overflow_mode", "timeout_overflow_mode", "max_memory_usage",
          "max_rows_to_group_by", "group_by_overflow_mode", "max_rows_to_sort", "sort_overflow_mode"}
SETTING_VALUE = re.compile(r"^[A-Za-z0-9_.]{1,64}$")

METHOD_NONE, METHOD_LZ4, METHOD_ZSTD = 0x02, 0x82, 0x90
BLOCK = 1 << 20

READING = re.compile(rb"^\s*(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN|\()", re.I)
INSERT_FORMAT = re.compile(rb"^\s*INSERT\s+INTO\s+(?:(?!\bSELECT\b).)*?\bFORMAT\s+(\w+)", re.I | re.S)
FORMAT_CLAUSE = re.compile(rb"\bFORMAT\s+(\w+)\s*;?\s*$", re.I)
CONNECT_QUERY = re.compile(r"^\s*SELECT\s+displayName\(\),\s*version\(\),\s*revision\(\),\s*timezone\(\)", re.I)
CODE = re.compile(r"Code: (\d+)\.")


class ClickHouseError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def checksum(data):
    h = CityHash128(data)
    return struct.pack("<QQ", h >> 64, h & 0xFFFFFFFFFFFFFFFF)  # the high half first, as ClickHouse writes it


def decompress_blocks(body):
    """ClickHouse's block framing: checksum(16) method(1) compressed_size(4, header included) size(4) payload."""
    out, at = [], 0
    while at < len(body):
        if len(body) - at < 25:
            raise ClickHouseError(271, "Cannot decompress: truncated block header")
        expected, method = body[at:at + 16], body[at + 16]
        compressed_size, size = struct.unpack_from("<II", body, at + 17)
        frame = body[at + 16:at + 16 + compressed_size]
        if len(frame) != compressed_size:
            raise ClickHouseError(271, "Cannot decompress: truncated block")
        if checksum(frame) != expected:
            raise ClickHouseError(40, "Checksum doesn't match: corrupted data. (CHECKSUM_DOESNT_MATCH)")
        payload = frame[9:]
        if method == METHOD_LZ4:
            out.append(lz4.block.decompress(payload, uncompressed_size=size))
        elif method == METHOD_ZSTD:
            out.append(zstandard.ZstdDecompressor().decompress(payload, max_output_size=size))
        elif method == METHOD_NONE:
            out.append(payload)
        else:
            raise ClickHouseError(432, "Unknown codec family code: %d" % method)
        at += 16 + compressed_size
    return b"".join(out)


def compress_blocks(data):
    out = []
    for at in range(0, max(len(data), 1), BLOCK):
        chunk = data[at:at + BLOCK]
        payload = lz4.block.compress(chunk, store_size=False)
        frame = struct.pack("<BII", METHOD_LZ4, len(payload) + 9, len(chunk)) + payload
        out.append(checksum(frame) + frame)
    return b"".join(out) if data else b""


def http_decode(body, encoding):
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "zstd":
        return zstandard.ZstdDecompressor().decompressobj().decompress(body)
    if encoding == "lz4":
        import lz4.frame
        return lz4.frame.decompress(body)
    raise ClickHouseError(1000, "Unknown Content-Encoding: %s" % encoding)


class Engine:
    """The one chDB connection, used by one request at a time."""

    def __init__(self, path, user, password):
        self.con = chdb.connect(path)
        self.user, self.password = user, password
        self.lock = threading.Lock()
        self.version = self.run_text("SELECT version()").strip()
        self.timezone = self.run_text("SELECT timezone()").strip()
        # an INSERT's rows go to a file beside the chDB directory (in the build's folder), never /tmp: the front is
        # stopped by a signal or a closed stdin, with no chance to clean up after itself
        self.scratch = os.path.normpath(path) + "-inserts"
        shutil.rmtree(self.scratch, ignore_errors=True)
        os.makedirs(self.scratch)

    def run_text(self, sql):
        return self.con.query(sql, "TabSeparated").bytes().decode()

    def run(self, sql, fmt, params):
        try:
            result = self.con.query(sql, fmt, params=params) if params else self.con.query(sql, fmt)
        except Exception as e:  # chDB raises its own error type with ClickHouse's message
            message = str(e)
            found = CODE.search(message)
            raise ClickHouseError(int(found.group(1)) if found else 1000, message)
        return result

    def hello(self):
        """clickhouse-go's connect query, which it reads (with client_protocol_version set) as a Native block of its
        own protocol revision, BlockInfo and a serialization flag per column, which chDB's Native writer does not
        produce: written here, saying revision 0, so that the client reads chDB's plain Native blocks afterwards."""
        def string(text):
            raw = text.encode()
            return varint(len(raw)) + raw
        columns = [("displayName()", "String", string("chdb-front")), ("version()", "String", string(self.version)),
                   ("revision()", "UInt32", struct.pack("<I", 0)),
                   ("timezone()", "String", string(self.timezone))]
        # BlockInfo: field 1 is_overflows = false, field 2 bucket_num = -1, field 0 ends it; then 4 columns, 1 row
        block = b"\x01\x00\x02" + struct.pack("<i", -1) + b"\x00" + varint(len(columns)) + varint(1)
        for name, kind, value in columns:
            block += string(name) + string(kind) + b"\x00" + value
        return block

    def execute(self, database, statement, data, fmt, params, readonly, limits):
        """Runs one statement (bytes); `data` is the INSERT's payload, or None. Returns (body, summary)."""
        with self.lock:
            for name, value in limits.items():
                if not SETTING_VALUE.match(value):
                    raise ClickHouseError(72, "Code: 72. DB::Exception: Cannot parse setting %s value '%s'. "
                                              "(CANNOT_PARSE_NUMBER)" % (name, value))
            if limits:
                self.run("SET " + ", ".join("%s = '%s'" % item for item in limits.items()), "TabSeparated", None)
            try:
                return self.run_statement(database, statement, data, fmt, params, readonly)
            finally:
                if limits:
                    self.run("SET " + ", ".join("%s = DEFAULT" % name for name in limits), "TabSeparated", None)

    def run_statement(self, database, statement, data, fmt, params, readonly):
        """execute() once its limits are set."""
        if database:
            self.run("USE `%s`" % database.replace("`", "\\`"), "TabSeparated", None)
        inserting = INSERT_FORMAT.match(statement)
        if readonly and not READING.match(statement):
            raise ClickHouseError(164, "Code: 164. DB::Exception: Cannot execute query in readonly mode. "
                                       "(READONLY)")
        if inserting and data is not None:
            head = statement[:inserting.start(1)].rstrip()
            head = head[:len(head) - len(b"FORMAT")].rstrip()
            path = os.path.join(self.scratch, "insert-%d" % threading.get_ident())
            with open(path, "wb") as f:
                f.write(data)
            sql = "%s FROM INFILE '%s' FORMAT %s" % (head.decode(), path, inserting.group(1).decode())
            try:
                result = self.run(sql, "TabSeparated", params)
            finally:
                os.remove(path)
            return b"", summary(result, written=True)
        sql = statement.decode()
        if CONNECT_QUERY.match(sql):
            sql = re.sub(r"revision\(\)", "toUInt32(0)", sql, count=1, flags=re.I)
        result = self.run(sql, fmt, params)
        return result.bytes(), summary(result, written=False)


def varint(n):
    out = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def summary(result, written):
    rows, size = result.rows_read(), result.bytes_read()
    return {"read_rows": str(0 if written else rows), "read_bytes": str(0 if written else size),
            "written_rows": str(result.rows_written()), "written_bytes": str(result.bytes_written()),
            "total_rows_to_read": "0", "result_rows": str(0 if written else rows),
            "result_bytes": str(0 if written else size), "elapsed_ns": str(int(result.elapsed() * 1e9))}


def split_statement(query_param, body):
    """ClickHouse's rule: the query parameter, then the body. For an INSERT ... FORMAT the rest is data: all of the
    body when the statement was in the parameter, else what follows the FORMAT name and its line break."""
    if query_param:
        head = query_param.encode()
        if INSERT_FORMAT.match(head):
            return head, body
        text = head + (b"\n" + body if body else b"")
    else:
        text = body
    inserting = INSERT_FORMAT.match(text)
    if not inserting:
        return text.strip().rstrip(b";"), None
    at = inserting.end(1)
    while at < len(text) and text[at:at + 1] in (b" ", b"\t"):
        at += 1
    if text[at:at + 2] == b"\r\n":
        at += 2
    elif text[at:at + 1] == b"\n":
        at += 1
    return text[:inserting.end(1)], text[at:]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    engine = None
    # a reply goes out as two writes (the headers, then the body): with Nagle's algorithm on, the body waited for
    # the client's delayed ACK of the headers: 49-51 ms a request against 3.9-7.8 ms without it (2026-11-27), most
    # of a contract test's time
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("chdb-front: " + (fmt % args) + "\n")

    def do_HEAD(self):
        self.log_message("HEAD %s", self.path)
        self.reply(200, b"", {})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/ping", "/") and not url.query:
            return self.reply(200, b"Ok.\n", {"Content-Type": "text/plain; charset=UTF-8"})
        self.answer(url, b"", get=True)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        self.answer(url, self.read_body(), get=False)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, url, body, get):
        self.log_message("%s %s", self.path, dict(self.headers))
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        compress = params.get("compress") == "1"
        try:
            self.authenticate(params)
            body = http_decode(body, self.headers.get("Content-Encoding"))
            if params.get("decompress") == "1" and body:
                body = decompress_blocks(body)
            statement, data = split_statement(params.get("query"), body)
            if not statement:
                raise ClickHouseError(62, "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)")
            clause = FORMAT_CLAUSE.search(statement)
            fmt = (clause.group(1).decode() if clause and data is None else None) or \
                self.headers.get("X-ClickHouse-Format") or params.get("default_format") or "TabSeparated"
            query_params = {k[6:]: v for k, v in params.items() if k.startswith("param_")}
            database = self.headers.get("X-ClickHouse-Database") or params.get("database")
            readonly = get or params.get("readonly", "0") not in ("0", "")
            started = time.time()
            cpu = time.process_time()
            limits = {k: v for k, v in params.items() if k in LIMITS}
            if CONNECT_QUERY.match(statement.decode(errors="replace")) and fmt == "Native" \
                    and int(params.get("client_protocol_version") or 0) > 0:
                result, stats = self.engine.hello(), {"read_rows": "1", "result_rows": "1"}
            else:
                result, stats = self.engine.execute(database, statement, data, fmt, query_params, readonly, limits)
            if self.server.verbose:
                # wall and CPU time, the database, and a hash of the whole statement and its parameters (the same
                # statement asked again has the same one)
                self.log_message("%.0f ms %.0f cpu [%s] %08x: %s", (time.time() - started) * 1000,
                                 (time.process_time() - cpu) * 1000, database,
                                 zlib.crc32(statement + repr(sorted(query_params.items())).encode()),
                                 statement[:300].decode(errors="replace").replace("\n", " "))
            if self.server.statements is not None:
                with self.server.statements_lock:
                    self.server.statements.write(statement.decode(errors="replace").replace("\n", " ") + "\n")
                    self.server.statements.flush()
            if compress:
                result = compress_blocks(result)
            self.reply(200, result, {
                "Content-Type": "text/plain; charset=UTF-8" if fmt.startswith("TabSeparated") or fmt == "TSKV"
                else "application/octet-stream",
                "X-ClickHouse-Format": fmt,
                "X-ClickHouse-Query-Id": params.get("query_id") or "chdb-front-%d" % int(started * 1e6),
                "X-ClickHouse-Server-Display-Name": "chdb-front",
                "X-ClickHouse-Timezone": "UTC",
                "X-ClickHouse-Summary": json.dumps(stats)})
        except ClickHouseError as e:
            self.fail(e.code, str(e))
        except Exception as e:  # noqa: anything else is the front's own failure, reported the same way
            self.fail(1000, "Code: 1000. DB::Exception: %s: %s. (POCO_EXCEPTION)" % (type(e).__name__, e))

    def authenticate(self, params):
        user = self.headers.get("X-ClickHouse-User") or params.get("user")
        key = self.headers.get("X-ClickHouse-Key") or params.get("password")
        basic = self.headers.get("Authorization", "")
        if basic.lower().startswith("basic "):
            user, _, key = base64.b64decode(basic[6:]).decode().partition(":")
        user, key = user or "default", key or ""
        if user != self.engine.user or key != self.engine.password:
            raise ClickHouseError(516, "Code: 516. DB::Exception: %s: Authentication failed: password is "
                                       "incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)" % user)

    def fail(self, code, message):
        if not message.startswith("Code:"):
            message = "Code: %d. DB::Exception: %s. (%s)" % (code, message, NAME_BY_CODE.get(code, "UNKNOWN"))
        text = "%s (version %s)\n" % (message.rstrip(), self.engine.version)
        self.log_message("%s", text.strip())
        self.reply(STATUS_BY_CODE.get(code, 500), text.encode(), {
            "Content-Type": "text/plain; charset=UTF-8", "X-ClickHouse-Exception-Code": str(code)})

    def reply(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # a client that closes its kept-alive connection as it exits (a report's JVM) is not an error
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="chDB directory; its MergeTree tables outlive the front")
    parser.add_argument("--port", type=int, default=0, help="loopback port; 0 picks a free one")
    parser.add_argument("--user", default="default")
    parser.add_argument("--password", default=os.environ.get("CHDB_FRONT_PASSWORD", ""))
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--log-statements", metavar="FILE",
                        help="append each statement answered to FILE, whole, one a line (bench/clickhouse/"
                             "capture_statements.py replays them)")
    args = parser.parse_args()
    Handler.engine = Engine(args.data, args.user, args.password)
    server = Server(("127.0.0.1", args.port), Handler)
    server.verbose = args.verbose
    server.statements = open(args.log_statements, "a") if args.log_statements else None
    server.statements_lock = threading.Lock()
    # the Java side waits for this line; stdin closing (the test JVM gone) stops the front
    print("chdb-front listening on %d, ClickHouse %s" % (server.server_address[1], Handler.engine.version), flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
