"""Reference decoder for the CAN tests and benchmark: decodes frames with
Debian's python3-canmatrix and prints one JSON line per decoded frame.

Usage: canmatrix-decode.py DBC FRAMES [--quiet]
FRAMES contains one frame a line: "index id_hex is_extended data_hex".
Frames shorter or longer than the DBC length are zero-padded or cut to it,
because canmatrix rejects any other length. With --quiet only the count
of decoded frames and the seconds spent decoding them are printed (for
the benchmark, which times the decode loop without start-up and file
reading).
"""
import json
import math
import time
import sys

import canmatrix
import canmatrix.formats


def main():
    dbc_path, frames_path = sys.argv[1], sys.argv[2]
    quiet = "--quiet" in sys.argv
    # canmatrix prints load warnings on stdout; keep stdout for results.
    sys.stdout = sys.stderr
    db = canmatrix.formats.loadp_flat(dbc_path)
    sys.stdout = sys.__stdout__
    frames = {}
    for frame in db.frames:
        frames[(frame.arbitration_id.id, frame.arbitration_id.extended)] = frame
    out = sys.stdout
    decoded = 0
    with open(frames_path) as source:
        rows = [(line.split() + [""])[:4] for line in source]
    started = time.perf_counter()
    for index, id_hex, is_extended, data_hex in rows:
        frame = frames.get((int(id_hex, 16), is_extended == "1"))
        if frame is None:
            continue
        payload = bytes.fromhex(data_hex)[: frame.size].ljust(frame.size, b"\0")
        values = frame.decode(bytearray(payload))
        decoded += 1
        if quiet:
            continue
        result = {}
        for name, signal in values.items():
            value = float(signal.phys_value)
            # JSON has no NaN; null stands for a float signal holding NaN.
            result[name] = None if math.isnan(value) else value
        out.write(json.dumps({"i": int(index), "v": result}) + "\n")
    if quiet:
        print(decoded, time.perf_counter() - started)


main()
