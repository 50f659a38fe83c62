#!/bin/bash
# End-to-end check of experiments/slurm/sweep.sbatch on a real (one-node, localhost) Slurm:
# installs Debian's slurm-wlm and munge when missing (root or sudo), starts munged,
# slurmctld and slurmd on loopback with their state and logs in a temp dir, submits a
# 4-shard array of a small quickstart (4 problems, no bank) whose shard 2 fails, resubmits it
# with a dependent merge job (experiments/slurm/merge.sbatch) and checks that only shard 2
# ran again, checks that resubmitting the finished array runs nothing,
# runs the same config unsharded, and compares curves.csv and trials.csv without the
# wall-clock columns. Exits non-zero on any mismatch or timeout; stops what it started.
#
#   experiments/slurm/test-slurm.sh                 # builds .build/release/ponder first
#   PONDER=/path/to/ponder experiments/slurm/test-slurm.sh
#
# Not part of `make test` (it installs packages and starts daemons).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
TIMEOUT=${TIMEOUT:-600}          # seconds to wait for the array and the merge
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
start=$(date +%s)

if [ -z "${PONDER:-}" ]; then
    swift build -c release --product ponder
    PONDER=$repo/.build/release/ponder
fi
PONDER=$(cd "$(dirname "$PONDER")" && pwd)/$(basename "$PONDER")

missing=""
for p in slurm-wlm munge; do dpkg -s $p >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
    echo "test-slurm: installing$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

tmp=$(mktemp -d /tmp/ponder-slurm.XXXXXX)
pids=()
started_munge=0
cleanup() {
    set +e
    for pid in "${pids[@]}"; do $SUDO kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    if [ "$started_munge" = 1 ] && [ -f /run/munge/munged.pid ]; then $SUDO kill "$(cat /run/munge/munged.pid)" 2>/dev/null; fi
    echo "test-slurm: daemons stopped; logs and runs in $tmp"
}
trap cleanup EXIT

# munge: a key if there is none, and a daemon if none answers.
if ! munge -n </dev/null >/dev/null 2>&1; then
    if [ ! -s /etc/munge/munge.key ]; then
        $SUDO mkdir -p /etc/munge
        $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
        $SUDO chown munge:munge /etc/munge/munge.key 2>/dev/null || true
        $SUDO chmod 400 /etc/munge/munge.key
    fi
    $SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
    $SUDO chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
    if id munge >/dev/null 2>&1; then $SUDO runuser -u munge -- munged; else $SUDO munged --force; fi
    started_munge=1
    for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n </dev/null | unmunge >/dev/null || { echo "test-slurm: munged does not answer" >&2; exit 1; }
fi

mkdir -p "$tmp/state" "$tmp/spool" "$tmp/log"
export SLURM_CONF=$tmp/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=ponder-test
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

$SUDO slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 & pids+=($!)
$SUDO slurmd -D -N localhost -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 & pids+=($!)
ready=0
for _ in $(seq 300); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then ready=1; break; fi
    sleep 0.2
done
if [ "$ready" != 1 ]; then
    echo "test-slurm: the node never came up" >&2
    sinfo -N || true; tail -n 20 "$tmp"/log/* >&2 || true
    exit 1
fi
echo "test-slurm: slurmctld and slurmd up on localhost ($(sinfo -h -N -o '%N %T %c'))"

# A small copy of the quickstart.
cat > "$tmp/quickstart-slurm.yaml" <<YAML
extends: $repo/experiments/quickstart.yaml
name: quickstart-slurm
task: {problems: 4}
bank: null
YAML
config=$tmp/quickstart-slurm.yaml
common="ALL,CONFIG=$config,OUT=$tmp/sharded,PONDER=$PONDER,SHARDS=4"
# A first array whose shard 2 fails at once (a wrapper that exits before running ponder):
# the other three finish, and the resubmission below must resume only what is missing.
cat > "$tmp/ponder-failing-shard-2" <<WRAP
#!/bin/bash
[ "\${SLURM_ARRAY_TASK_ID:-}" = 2 ] && { echo "test-slurm: simulated failure of shard 2" >&2; exit 3; }
exec "$PONDER" "\$@"
WRAP
chmod +x "$tmp/ponder-failing-shard-2"
first=$(sbatch --parsable --chdir="$repo" --array=0-3 --output="$tmp/log/first-%a.out" \
        --export="ALL,CONFIG=$config,OUT=$tmp/sharded,PONDER=$tmp/ponder-failing-shard-2" experiments/slurm/sweep.sbatch)
deadline=$(( $(date +%s) + TIMEOUT ))
while squeue -h -j "$first" 2>/dev/null | grep -q .; do
    [ "$(date +%s)" -le "$deadline" ] || { echo "test-slurm: first array still queued after ${TIMEOUT}s" >&2; scancel "$first"; exit 1; }
    sleep 1
done
grep -q 'simulated failure' "$tmp/log/first-2.out" || { echo "test-slurm: shard 2 did not fail as planned" >&2; exit 1; }
echo "test-slurm: first array job $first: shards 0, 1, 3 finished, shard 2 failed"

array=$(sbatch --parsable --chdir="$repo" --array=0-3 --output="$tmp/log/shard-%a.out" \
        --export="$common" experiments/slurm/sweep.sbatch)
merge=$(sbatch --parsable --chdir="$repo" --dependency=afterok:"$array" --output="$tmp/log/merge.out" \
        --export="$common" experiments/slurm/merge.sbatch)
echo "test-slurm: array job $array (4 shards), merge job $merge after it"

# Meanwhile, the unsharded reference.
"$PONDER" run "$config" --output "$tmp/reference" >"$tmp/log/reference.out" 2>&1
reference=$(tail -n 1 "$tmp/log/reference.out")

deadline=$(( $(date +%s) + TIMEOUT ))
while squeue -h -j "$array,$merge" 2>/dev/null | grep -q .; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
        echo "test-slurm: jobs still queued after ${TIMEOUT}s" >&2
        squeue; scancel "$array" "$merge"; exit 1
    fi
    if squeue -h -j "$merge" -o '%r' 2>/dev/null | grep -q DependencyNeverSatisfied; then
        echo "test-slurm: a shard failed, so the merge can never run:" >&2
        tail -n 5 "$tmp"/log/shard-*.out >&2; scancel "$merge"; exit 1
    fi
    sleep 1
done
for f in "$tmp"/log/shard-*.out "$tmp/log/merge.out"; do echo "== $f"; tail -n 3 "$f"; done
sharded=$(ls -d "$tmp"/sharded/quickstart-slurm-*)
nshards=$(ls "$sharded"/shards/results-*-of-4.sqlite | wc -l)
[ "$nshards" = 4 ] || { echo "test-slurm: expected 4 shard databases, found $nshards" >&2; exit 1; }
records() { python3 -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], newline="")))) - 1)' "$1"; }
trials=$(records "$reference/trials.csv")
grep -q "merged 4 shard database(s): $trials trial(s) added" "$tmp/log/merge.out" ||
    { echo "test-slurm: the merge job did not add all $trials trials once:" >&2; cat "$tmp/log/merge.out" >&2; exit 1; }
echo "test-slurm: merge job: $trials trial(s) from 4 shard databases"
for i in 0 1 3; do
    grep -q ' 0 to run' "$tmp/log/shard-$i.out" || { echo "test-slurm: resubmitted shard $i ran trials again" >&2; exit 1; }
done
grep -q ' 0 to run' "$tmp/log/shard-2.out" && { echo "test-slurm: resubmitted shard 2 had nothing to run" >&2; exit 1; }
echo "test-slurm: resubmitted array job $array: only shard 2 ran trials ($(grep -o '[0-9]* to run' "$tmp/log/shard-2.out"))"
[ "$(basename "$sharded")" = "$(basename "$reference")" ] || { echo "test-slurm: run ids differ: $sharded vs $reference" >&2; exit 1; }

# Same rows, wall-clock columns dropped.
strip() {
    python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
drop = {"wall_seconds", "finished_at", "mean_seconds"}
keep = [i for i, name in enumerate(rows[0]) if name not in drop]
for row in rows:
    print(",".join(row[i] if i < len(row) else "" for i in keep))
PY
}
status=0
for file in curves.csv trials.csv; do
    if [ ! -f "$sharded/$file" ]; then echo "test-slurm: merge wrote no $file" >&2; status=1; continue; fi
    if diff <(strip "$sharded/$file") <(strip "$reference/$file") >"$tmp/$file.diff"; then
        echo "test-slurm: $file: merged shards equal the unsharded run ($(records "$reference/$file") rows)"
    else
        echo "test-slurm: $file differs (see $tmp/$file.diff):" >&2; head -n 20 "$tmp/$file.diff" >&2; status=1
    fi
done

# Resubmitting the array is an idempotent resume: every shard has nothing left to run.
again=$(timeout "$TIMEOUT" sbatch --parsable --wait --chdir="$repo" --array=0-3 --output="$tmp/log/again-%a.out" \
        --export="$common" experiments/slurm/sweep.sbatch) || { echo "test-slurm: resubmission failed" >&2; status=1; }
if [ "$(grep -l ' 0 to run' "$tmp"/log/again-*.out | wc -l)" != 4 ]; then
    echo "test-slurm: a resubmitted shard ran trials again" >&2; grep -h 'to run' "$tmp"/log/again-*.out >&2; status=1
else
    echo "test-slurm: resubmitted array (job $again): all 4 shards had 0 trials to run"
fi
echo "test-slurm: $([ $status = 0 ] && echo PASS || echo FAIL) in $(( $(date +%s) - start ))s"
exit $status
