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

OUT.md also has the run's timeline, 30 s a row: how many cores the run's processes kept busy, how many the whole
machine did, and the modules whose test JVMs (surefire's, failsafe's) were running; then the core-seconds left idle
and the stretches where the run kept fewer than 1.5 cores busy: where a better order of the modules would help.
"""
import collections
import os
import re
import signal
import sys
import time

TICKS = os.sysconf('SC_CLK_TCK')
PERIOD = 2.0
BUCKET = 30.0
CORES = os.cpu_count() or 1


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def stat(pid):
    """(parent pid, CPU ticks, start tick) of one process, from /proc/PID/stat."""
    text = read('/proc/%s/stat' % pid).decode('ascii', 'replace')
    fields = text[text.rindex(')') + 2:].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


def machine_ticks():
    """(busy, total) ticks of every core, from /proc/stat."""
    fields = [int(x) for x in read('/proc/stat').split(b'\n', 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def module_of(cmd, match):
    """The module whose test JVM this command line starts (its surefire or failsafe booter), or None."""
    if 'surefire' not in cmd and 'failsafe' not in cmd:
        return None
    found = re.search(re.escape(match.rstrip('/')) + r'/([\w.-]+)/target/', cmd)
    return found.group(1) if found else None


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
    modules = {}  # (pid, start tick) -> module of a test JVM
    timeline = []  # (seconds since the start, run's CPU ticks so far, machine's busy ticks, machine's ticks, modules)

    def sample():
        alive = set()
        for pid in os.listdir('/proc'):
            if not pid.isdigit() or pid == own:
                continue
            try:
                ppid, ticks, start = stat(pid)
                key = (pid, start)
                if key not in seen:
                    cmd = command(pid)
                    seen[key] = [kind(cmd), ticks if start < boot else 0, ticks] if matches(pid, ppid, cmd) else None
                    if seen[key] is not None and module_of(cmd, match):
                        modules[key] = module_of(cmd, match)
                elif seen[key] is not None:
                    seen[key][2] = ticks
                if key in modules:
                    alive.add(modules[key])
            except (OSError, ValueError):
                pass  # ended between the listing and the read
        busy, total = machine_ticks()
        run = sum(entry[2] - entry[1] for entry in seen.values() if entry is not None)
        timeline.append((time.time() - began, run, busy, total, alive))

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
        write_timeline(f, timeline)
        print('%.0f' % total)


def write_timeline(f, timeline):
    """The run's busy cores, the machine's, and the modules testing, BUCKET seconds a row; then the idle stretches."""
    if len(timeline) < 2:
        return
    f.write('\n## Timeline, %d s a row (%d cores)\n\n' % (BUCKET, CORES))
    f.write('| from | run\'s busy cores | machine\'s busy cores | test JVMs of |\n|---|---:|---:|---|\n')
    idle = 0.0
    low = []  # stretches under 1.5 cores: [from, to]
    row_start = 0
    for i in range(1, len(timeline)):
        t0, run0, busy0, total0, _ = timeline[i - 1]
        t1, run1, busy1, total1, alive = timeline[i]
        cores = (run1 - run0) / TICKS / max(t1 - t0, 1e-9)
        idle += max(0.0, CORES - cores) * (t1 - t0)
        if cores < 1.5 and CORES >= 2:
            if low and low[-1][1] >= t0 - 0.1:
                low[-1][1] = t1
            else:
                low.append([t0, t1])
        if t1 - timeline[row_start][0] >= BUCKET or i == len(timeline) - 1:
            a, b = timeline[row_start], timeline[i]
            span = max(b[0] - a[0], 1e-9)
            names = sorted(set().union(*(entry[4] for entry in timeline[row_start + 1:i + 1])))
            f.write('| %d:%02d | %.2f | %.2f | %s |\n' % (a[0] // 60, a[0] % 60, (b[1] - a[1]) / TICKS / span,
                    CORES * (b[2] - a[2]) / max(b[3] - a[3], 1), ', '.join(names)))
            row_start = i
    f.write('\nCores left idle by the run: %.0f core-seconds over %.0f s.' % (idle, timeline[-1][0]))
    stretches = [s for s in low if s[1] - s[0] >= 10]
    if stretches:
        f.write(' Stretches of 10 s or more under 1.5 busy cores: %s.' % ', '.join(
            '%d:%02d-%d:%02d' % (s[0] // 60, s[0] % 60, s[1] // 60, s[1] % 60) for s in stretches))
    f.write('\n')


if __name__ == '__main__':
    main()
