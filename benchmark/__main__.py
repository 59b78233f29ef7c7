"""`python -m benchmark` (what `make bench` runs)."""

import sys

from benchmark.run import main

sys.exit(main())
