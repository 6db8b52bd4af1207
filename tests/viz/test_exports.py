import subprocess
import sys

import layerwise as keras
from layerwise import viz


def test_every_plot_is_also_reachable_from_utils_as_in_keras():
    for name in viz.__all__:
        assert getattr(keras.utils, name) is getattr(viz, name)
        assert name in keras.utils.__all__


def test_importing_layerwise_does_not_load_matplotlib_or_graphviz():
    code = "import sys, layerwise; print('matplotlib' in sys.modules, 'graphviz' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
