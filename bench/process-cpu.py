#!/usr/bin/env python3
"""Where a test run's CPU goes, by kind of process, counting every process it started.

    bench/process-cpu.py MATCH OUT.md

Samples /proc every 2 seconds until SIGTERM or SIGINT, then writes OUT.md: the CPU (user + system) of every process
whose command line, or its parent's, or its working directory, contains MATCH (say, a fresh clone's path), summed by
kind (a JVM by its main class or jar and whether memtrace's agent is attached, the Maven JVM, the test forks, other
programs by name). `/usr/bin/time` counts only the children a process waited for: a `serve` launcher killed by a test
leaves its child JVM to init, and that child's CPU is in no test class's figure nor in the run's. This counts it.
A process that lives less than one sample (2 s) is missed; a process seen first when already running is counted from
its start. Linux only.
"""
import collections
import os
import signal
import sys
import time

TICKS = os.sysconf('SC_CLK_TCK')
PERIOD = 2.0


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def stat(pid):
    """(parent pid, CPU ticks, start tick) of one process, from /proc/PID/stat."""
    text = read('/proc/%s/stat' % pid).decode('ascii', 'replace')
    fields = text[text.rindex(')') + 2:].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


def command(pid):
    return read('/proc/%s/cmdline' % pid).replace(b'\0', b' ').decode('utf-8', 'replace').strip()


def kind(cmd):
    words = cmd.split()
    if not words:
        return '(no command line)'
    program = os.path.basename(words[0])
    if program != 'java':
        if program.startswith('python') and len(words) > 1:
            script = next((w for w in words[1:] if not w.startswith('-')), '')
            return program.rstrip('0123456789.') + ' ' + os.path.basename(script)
        return program
    agent = ' + agent' if any(w.startswith('-javaagent:') and 'memtrace-agent' in w for w in words) else ''
    if 'surefire' in cmd or 'failsafe' in cmd:
        return 'java: a test fork (surefire, failsafe)'
    if 'plexus-classworlds' in cmd:
        return 'java: Maven'
    skip = False
    for i, word in enumerate(words[1:], 1):
        if skip:
            skip = False
        elif word == '-jar':
            return 'java -jar ' + os.path.basename(words[i + 1]) + agent if i + 1 < len(words) else 'java -jar'
        elif word in ('-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-opens', '--add-exports'):
            skip = True
        elif not word.startswith('-'):
            return 'java ' + word.rsplit('.', 1)[-1] + agent
    return 'java' + agent


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: bench/process-cpu.py MATCH OUT.md')
    match, out = sys.argv[1], sys.argv[2]
    boot = int(float(read('/proc/uptime').split()[0]) * TICKS)
    seen = {}  # (pid, start tick) -> [kind, ticks at first sight (0 if started after us), last ticks] or None
    names = {}

    def matches(pid, ppid, cmd):
        if match in cmd:
            return True
        try:
            if match in os.readlink('/proc/%s/cwd' % pid):
                return True
        except OSError:
            pass
        if ppid not in names:
            try:
                names[ppid] = command(ppid)
            except OSError:
                names[ppid] = ''
        return match in names[ppid]

    own = str(os.getpid())

    def sample():
        for pid in os.listdir('/proc'):
            if not pid.isdigit() or pid == own:
                continue
            try:
                ppid, ticks, start = stat(pid)
                key = (pid, start)
                if key not in seen:
                    cmd = command(pid)
                    seen[key] = [kind(cmd), ticks if start < boot else 0, ticks] if matches(pid, ppid, cmd) else None
                elif seen[key] is not None:
                    seen[key][2] = ticks
            except (OSError, ValueError):
                pass  # ended between the listing and the read

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    began = time.time()
    while not stopping:
        sample()
        time.sleep(PERIOD)
    sample()

    by_kind = collections.defaultdict(lambda: [0.0, 0])
    for entry in seen.values():
        if entry is not None:
            by_kind[entry[0]][0] += (entry[2] - entry[1]) / TICKS
            by_kind[entry[0]][1] += 1
    total = sum(cpu for cpu, _ in by_kind.values())
    with open(out, 'w') as f:
        f.write('# CPU by kind of process: %.0f s in %d processes over %.0f s (every process matching %s)\n\n'
                % (total, sum(n for _, n in by_kind.values()), time.time() - began, match))
        f.write('| kind | processes | CPU (s) | share |\n|---|---:|---:|---:|\n')
        for name, (cpu, n) in sorted(by_kind.items(), key=lambda item: -item[1][0]):
            if cpu >= 0.5:
                f.write('| %s | %d | %.1f | %.1f %% |\n' % (name.replace('|', '\\|'), n, cpu, 100 * cpu / max(total, 1)))
        print('%.0f' % total)


if __name__ == '__main__':
    main()
