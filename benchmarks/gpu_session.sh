#!/usr/bin/env bash
# Everything issue 5 needs from a lent GPU machine, in calls that fit its 10-minute limit:
#
#   bash benchmarks/gpu_session.sh tests   # the CUDA tests (graph capture, fused RNNs, augmentation on CUDA)
#   bash benchmarks/gpu_session.sh bench   # fit/evaluate/predict vs the CUDA-graph loop, time to 99 %
#
# Logs, the JSON results and nvidia-smi's view of the card go to $OUT (the device tool brings that
# folder back). It needs the MNIST file inside the checkout, since ../shared does not travel:
# `mkdir -p shared/data && cp ../shared/data/mnist.npz shared/data/` (an untracked file is carried).
# The device image has torch, numpy, rich, safetensors, scikit-learn and JAX but not Keras: to get the
# Keras rows, carry Keras's wheels in .whl/ (see the device tool's README) and they are installed here.
set -uo pipefail
export PYTHONUNBUFFERED=1
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/layerwise-gpu}
mkdir -p "$OUT"
if compgen -G ".whl/*.whl" > /dev/null; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
        && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}  # this checkout's layerwise, not installed there
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv > "$OUT/gpu.csv" 2>&1
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no CUDA device')" | tee "$OUT/versions.txt"

case "${1:-}" in
tests)
    python3 -m pytest -q -p no:cacheprovider -x tests/test_cuda.py tests/trainers/test_step_capture.py \
        tests/trainers/test_inference_capture.py tests/layers/rnn/test_fused.py tests/layers/preprocessing/augmentation \
        2>&1 | tee "$OUT/tests.log"
    ;;
bench)
    data=shared/data/mnist.npz
    [ -f "$data" ] || { echo "missing $data: copy ../shared/data/mnist.npz into the checkout first" >&2; exit 2; }
    python3 benchmarks/fit_vs_pytorch.py --device cuda --data "$data" --epochs 3 --rounds 2 --time-to-accuracy 0.99 \
        --keras-timeout 240 --json "$OUT/gpu.json" 2>&1 | tee "$OUT/bench.log"
    ;;
*)
    echo "usage: bash benchmarks/gpu_session.sh tests|bench" >&2
    exit 2
    ;;
esac
