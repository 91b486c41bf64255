#!/usr/bin/env python3
"""The reading half of scaling.sh (Python 3 standard library only): turns one point's run folder into
one JSON line, reads ping, iperf3 and PyTorch DDP output, and prints the table. scaling.sh runs it;
see README.md beside it for the meaning of every field.

    scaling.py point --run-dir DIR [--field|--text KEY=VALUE]... [--merge FILE]... [--warmup-epochs N]
                                                                     one results.jsonl line on stdout
    scaling.py net [--ping FILE] [--up FILE] [--down FILE]           round trip (ping -q) and Gbit/s (iperf3 -J)
    scaling.py ddp FILE                                              the figures of pytorch_ddp.py's output
    scaling.py ddp-args RUN_DIR                                      global batch, lr, momentum, optimizer, hidden
    scaling.py brief                                                 one line about the results.jsonl line on stdin
    scaling.py json-list ARGS...                                     the arguments as a JSON list
    scaling.py table --out DIR                                       markdown on stdout; writes DIR/results.csv
"""
import argparse
import csv
import json
import re
import statistics
import sys
from pathlib import Path

# Steps of epoch 1 left out as warm-up when a run has no second epoch to measure.
WARM_STEPS_IN_FIRST_EPOCH = 3


def read_jsonl(path):
    rows = []
    if not Path(path).exists():
        return rows
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line.startswith("{"):
            rows.append(json.loads(line))
    return rows


def mean(values):
    return sum(values) / len(values) if values else None


def layer_sizes(model):
    """'784-2048-1024-10 relu SoftmaxCrossEntropy' -> [784, 2048, 1024, 10]."""
    head = model.split()[0] if model else ""
    return [int(s) for s in head.split("-")] if re.fullmatch(r"\d+(-\d+)+", head) else []


def parameters(sizes):
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def run_settings(config_conf):
    """The few resolved keys of a run's config.conf that the table and the DDP reference need."""
    text = Path(config_conf).read_text() if Path(config_conf).exists() else ""

    def section(name):
        m = re.search(r"^\s*" + name + r"\s*\{(.*?)^\s*\}", text, re.S | re.M)
        return m.group(1) if m else ""

    def key(body, name):
        m = re.search(r"^\s*" + re.escape(name) + r"\s*=\s*(\S+)", body, re.M)
        return m.group(1).strip('"') if m else None

    optimizer, training = section("optimizer"), section("training")
    return {
        "batch_size": int(key(training, "batch-size") or 0),
        "learning_rate": float(key(optimizer, "learning-rate") or 0),
        "momentum": float(key(optimizer, "momentum") or 0),
        "optimizer": key(optimizer, "name"),
        "data": key(section("data"), "path"),
    }


def point(args):
    run = Path(args.run_dir)
    meta = {}
    for path in args.merge:
        meta.update(json.loads(Path(path).read_text() or "{}"))
    for field in args.field:
        key, _, value = field.partition("=")
        try:
            meta[key] = json.loads(value)
        except ValueError:
            meta[key] = value
    for field in args.text:
        key, _, value = field.partition("=")
        meta[key] = value
    summary = json.loads((run / "summary.json").read_text())
    lines = read_jsonl(run / "metrics.jsonl")
    steps = [l for l in lines if l.get("kind") == "step"]
    epochs = [l for l in lines if l.get("kind") == "epoch"]
    settings = run_settings(run / "config.conf")
    batch = settings["batch_size"]
    sizes = layer_sizes(summary.get("model", ""))
    params = parameters(sizes)

    # Warm-up: the first epoch (JIT, first allocations, the thread pool growing, the lane's buffers)
    # is left out whenever there is a later one; the summary's own breakdown does the same.
    warm = args.warmup_epochs
    measured_epochs = [e for e in epochs if e["epoch"] > warm]
    if measured_epochs:
        measured = f"epochs {warm + 1}..{max(e['epoch'] for e in epochs)}"
        measured_steps = [s for s in steps if s["epoch"] > warm]
        train_s = sum(e["epoch_train_s"] for e in measured_epochs)
        samples_per_s = summary["train_samples"] * len(measured_epochs) / train_s if train_s > 0 else None
        # Steps of an epoch: its epoch line's global step count minus the previous epoch's.
        ends = {e["epoch"]: e["step"] for e in epochs}
        step_count = sum(e["step"] - ends.get(e["epoch"] - 1, 0) for e in measured_epochs)
        step_ms = 1000 * train_s / step_count if step_count else None
    else:
        measured = f"epoch 1 after step {WARM_STEPS_IN_FIRST_EPOCH}"
        measured_steps = [s for s in steps if s["step"] > WARM_STEPS_IN_FIRST_EPOCH]
        samples_per_s = step_ms = None

    # Per-step wall time: differences of consecutive step lines of one epoch (every step has a line:
    # scaling.sh passes --metrics-every 1), so the evaluation between epochs is never inside one.
    by_step = {s["step"]: s for s in steps}
    walls = [1000 * (s["wall_s"] - by_step[s["step"] - 1]["wall_s"]) for s in measured_steps
             if s["step"] - 1 in by_step and by_step[s["step"] - 1]["epoch"] == s["epoch"]]
    step_ms_median = statistics.median(walls) if walls else None
    if step_ms is None and walls:
        step_ms = mean(walls)
        samples_per_s = 1000 * batch / step_ms if batch and step_ms else None

    def phase(name):
        values = [s["step_us"][name] / 1000 for s in measured_steps if s.get("step_us")]
        return mean(values)

    broadcast, round_, compute, transfer, apply = (phase(n) for n in ("broadcast", "round", "compute", "transfer", "apply"))
    other = step_ms - (broadcast + round_ + apply) if None not in (step_ms, broadcast, round_, apply) else None
    ranks = [s["worker_compute_us"] for s in measured_steps if s.get("worker_compute_us")]
    width = max((len(r) for r in ranks), default=0)
    per_rank = [mean([r[i] / 1000 for r in ranks if len(r) > i and r[i] > 0]) for i in range(width)]
    breakdown = summary.get("step_breakdown_us") or {}

    first = ("label", "net", "topology", "workers", "threads_per_worker", "coordinator_threads", "config", "settings")
    row = {k: meta[k] for k in first if k in meta}
    row.update(meta)
    row.update({
        "model": summary.get("model"),
        "layer_sizes": sizes,
        "parameters": params,
        "tensor_bytes": 4 * params,
        "global_batch": batch,
        "per_worker_batch": batch / meta["workers"] if batch else None,
        "optimizer": settings["optimizer"],
        "data": settings["data"],
        "train_samples": summary.get("train_samples"),
        "epochs": summary.get("epochs"),
        "steps": summary.get("steps"),
        "measured": measured,
        "measured_steps": len(measured_steps),
        "samples_per_s": r(samples_per_s, 1),
        "samples_per_s_median_epoch": summary.get("train_samples_per_sec"),
        "step_ms": r(step_ms, 3),
        "step_ms_median": r(step_ms_median, 3),
        "broadcast_ms": r(broadcast, 3),
        "round_ms": r(round_, 3),
        "compute_ms": r(compute, 3),
        "transfer_ms": r(transfer, 3),
        "apply_ms": r(apply, 3),
        "other_ms": r(other, 3),
        "worker_compute_ms": [r(v, 3) for v in per_rank],
        "coordinator_cpu_ms_per_step": r(breakdown.get("cpu_per_step", 0) / 1000, 3) if breakdown else None,
        "summary_step_breakdown_us": breakdown or None,
        "allocated_bytes_per_step": summary.get("allocated_bytes_per_step"),
        "wire_bytes_down_per_step": (summary.get("wire_bytes_per_step") or {}).get("down"),
        "wire_bytes_up_per_step": (summary.get("wire_bytes_per_step") or {}).get("up"),
        "mean_gradient_staleness": summary.get("mean_gradient_staleness"),
        "left_out_gradients": summary.get("left_out_gradients"),
        "test_accuracy": summary.get("test_accuracy"),
        "test_loss": summary.get("test_loss"),
        "wall_seconds": summary.get("wall_seconds"),
        "full_steps": summary.get("full_steps"),
        "short_handed_steps": summary.get("short_handed_steps"),
        "rejected_gradients": summary.get("rejected_gradients"),
        "completed": summary.get("completed"),
    })
    print(json.dumps(row))


def r(value, digits):
    return None if value is None else round(value, digits)


def net(args):
    figures = {}
    text = Path(args.ping).read_text() if args.ping and Path(args.ping).exists() else ""
    m = re.search(r"=\s*([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+)\s*ms", text)
    if m:
        figures.update(zip(("rtt_ms_min", "rtt_ms_avg", "rtt_ms_max", "rtt_ms_mdev"), (float(v) for v in m.groups())))
    for key, path in (("link_up_gbit", args.up), ("link_down_gbit", args.down)):
        try:
            bits = json.loads(Path(path).read_text())["end"]["sum_received"]["bits_per_second"]
            figures[key] = round(bits / 1e9, 3)
        except (TypeError, OSError, ValueError, KeyError):
            figures[key] = None
    print(json.dumps(figures))


def ddp(args):
    final = [row for row in read_jsonl(args.file) if row.get("script") == "pytorch_ddp"]
    d = final[-1] if final else {}
    print(json.dumps({
        "ddp_samples_per_s": d.get("global_samples_per_s_median_epoch_ge2"),
        "ddp_test_accuracy": (d.get("test_acc") or [None])[-1],
        "ddp_epochs": d.get("epochs"),
        "ddp_batch_per_process": d.get("batch_per_proc"),
        "ddp_torch": d.get("torch"),
    }))


def ddp_args(args):
    run = Path(args.run_dir)
    s = run_settings(run / "config.conf")
    sizes = layer_sizes(json.loads((run / "summary.json").read_text()).get("model", ""))
    # Momentum is SGD with momentum in PyTorch; the DDP script knows sgd and adam only.
    optimizer = "adam" if s["optimizer"] == "adam" else "sgd"
    print(s["batch_size"], s["learning_rate"], s["momentum"], optimizer, ",".join(str(h) for h in sizes[1:-1]))


def brief(_):
    r = json.loads(sys.stdin.readline())
    print(f"{r['samples_per_s']} samples/s, {r['step_ms']} ms a step (broadcast {r['broadcast_ms']}, compute "
          f"{r['compute_ms']}, transfer {r['transfer_ms']}, apply {r['apply_ms']}, other {r['other_ms']}), "
          f"test accuracy {r['test_accuracy']}, {r['point_seconds']} s"
          + (f"; DDP {r['ddp_samples_per_s']} samples/s" if r.get("ddp_samples_per_s") else ""))


def json_list(args):
    print(json.dumps(args.values))


COLUMNS = [
    ("label", "label"), ("net", "net"), ("workers", "workers"), ("samples/s", "samples_per_s"),
    ("step ms", "step_ms"), ("step ms median", "step_ms_median"), ("bcast", "broadcast_ms"), ("compute", "compute_ms"),
    ("transfer", "transfer_ms"), ("apply", "apply_ms"), ("other", "other_ms"), ("efficiency", "efficiency"),
    ("test acc", "test_accuracy"), ("load 1m", "load"), ("DDP samples/s", "ddp_samples_per_s"), ("ours/DDP", "ours_over_ddp"),
]


def fmt(value, key):
    if value is None:
        return ""
    if isinstance(value, float):
        if key in ("efficiency", "ours_over_ddp", "test_accuracy"):
            return f"{value:.3f}"
        if key.endswith("samples_per_s"):
            return f"{value:,.0f}"
        return f"{value:.1f}"
    return str(value)


def table(args):
    out = Path(args.out)
    rows = read_jsonl(out / "results.jsonl")
    if not rows:
        print("no results", file=sys.stderr)
        sys.exit(1)
    base = {}
    for row in rows:
        if row["workers"] == 1 and row.get("samples_per_s"):
            base[(row["label"], row["net"])] = row["samples_per_s"]
    for row in rows:
        one = base.get((row["label"], row["net"]))
        sps = row.get("samples_per_s")
        row["efficiency"] = sps / (row["workers"] * one) if one and sps else None
        row["load"] = f"{row['load_before']:.1f}→{row['load_after']:.1f}" if "load_before" in row else None
        ddp_sps = row.get("ddp_samples_per_s")
        row["ours_over_ddp"] = sps / ddp_sps if sps and ddp_sps else None

    columns = list(COLUMNS)
    jobs = {(row.get("model"), row.get("global_batch"), row.get("measured")) for row in rows}
    first = rows[0]
    if len(jobs) == 1:
        print(f"\nModel {first.get('model')} ({first.get('parameters'):,} parameters, "
              f"{first.get('tensor_bytes', 0) / 1e6:.1f} MB a tensor), global batch {first.get('global_batch')}, "
              f"measured: {first.get('measured')}; {first.get('cores')} cores.")
    else:
        for row in rows:
            row["job"] = f"{row.get('layer_sizes')} batch {row.get('global_batch')}, {row.get('measured')}"
        columns.insert(1, ("job", "job"))
    print("Times are means in ms per step; efficiency = samples/s / (workers x samples/s of 1 worker, same label and net);"
          " load: the 1-minute load average before and after the point.\n")
    print("| " + " | ".join(title for title, _ in columns) + " |")
    print("|" + "|".join("---" if key in ("label", "net", "job") else "--:" for _, key in columns) + "|")
    for row in rows:
        print("| " + " | ".join(fmt(row.get(key), key) for _, key in columns) + " |")

    nets = {}
    for row in rows:
        nets.setdefault((row["net"], row.get("topology")), row)
    print("\n| net | topology | RTT ms min/avg/max (ping, idle) | link Gbit/s up/down (iperf3, idle) |")
    print("|---|---|--:|--:|")
    for (net, _), row in nets.items():
        rtt = "/".join(f"{row[k]:.3f}" for k in ("rtt_ms_min", "rtt_ms_avg", "rtt_ms_max")) if row.get("rtt_ms_avg") is not None else "n/a"
        up, down = row.get("link_up_gbit"), row.get("link_down_gbit")
        link = f"{up} / {down}" if up is not None or down is not None else "n/a"
        print(f"| {net} | {row.get('topology', '')} | {rtt} | {link} |")

    keys = []
    for row in rows:
        row.pop("job", None)
        for k in row:
            if k not in keys:
                keys.append(k)
    with open(out / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("point")
    a.add_argument("--run-dir", required=True)
    a.add_argument("--field", action="append", default=[], help="KEY=VALUE: a JSON value, else text")
    a.add_argument("--text", action="append", default=[], help="KEY=VALUE: always text")
    a.add_argument("--merge", action="append", default=[], help="a file holding one JSON object to add")
    a.add_argument("--warmup-epochs", type=int, default=1)
    a.set_defaults(func=point)
    a = sub.add_parser("net")
    for option in ("--ping", "--up", "--down"):
        a.add_argument(option)
    a.set_defaults(func=net)
    a = sub.add_parser("ddp")
    a.add_argument("file")
    a.set_defaults(func=ddp)
    a = sub.add_parser("ddp-args")
    a.add_argument("run_dir")
    a.set_defaults(func=ddp_args)
    sub.add_parser("brief").set_defaults(func=brief)
    a = sub.add_parser("json-list")
    a.add_argument("values", nargs="*")
    a.set_defaults(func=json_list)
    a = sub.add_parser("table")
    a.add_argument("--out", required=True)
    a.set_defaults(func=table)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
