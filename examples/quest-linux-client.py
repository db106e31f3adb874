#!/usr/bin/env python3
"""A plain Python 3 client for examples/quest-linux.yaml's host endpoint (no dependencies).

Start the system in real time, then talk to its real-time service over the Unix socket:

    ./quest run examples/quest-linux.yaml --realtime --duration 60s &
    python3 examples/quest-linux-client.py examples/quest-linux.sock ping "set 7" get
    python3 examples/quest-linux-client.py examples/quest-linux.sock --watch 5   # telemetry for 5 s

Each command is one line; the service answers each on the `replies` channel (pong, ok, value V,
stats ..., error: ...) and sends a telemetry line every second on `telemetry`; both reach the
socket as lines. Replies are printed as they come, telemetry lines prefixed with '#'.
"""
import socket
import sys
import time


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path, args = argv[1], argv[2:]
    watch = 0.0
    if len(args) >= 2 and args[0] == "--watch":
        watch, args = float(args[1]), args[2:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError as e:
        print(f"cannot connect to {path}: {e} (is `quest run ... --realtime` running?)", file=sys.stderr)
        return 1
    reader = sock.makefile("r", encoding="utf-8", newline="\n")
    expected = 0
    for command in args:
        sock.sendall((command + "\n").encode("utf-8"))
        expected += 1
    deadline = time.monotonic() + (watch if watch > 0 else 5.0)
    while (expected > 0 or time.monotonic() < deadline and watch > 0) and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            line = reader.readline()
        except (socket.timeout, TimeoutError):
            break
        if not line:
            print("(the run ended)", file=sys.stderr)
            break
        line = line.rstrip("\n")
        if line.startswith("telemetry "):
            print("# " + line)
        else:
            print(line)
            expected -= 1
    sock.close()
    return 0 if expected <= 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
