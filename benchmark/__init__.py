"""`make bench`: how the build, the pages and the related-question graph scale, measured against written budgets.

A tool beside the build, not part of it: it clones the real bank into synthetic
banks (`clone`), builds and serves them (`builds`), loads them in Chromium and
Lighthouse (`browser`), and reports the budgets (`report`); `run` ties them
together. Results and their history live in `bench/`.
"""
