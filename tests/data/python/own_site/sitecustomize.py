# Python imports a module named sitecustomize at startup, if it finds one
# on its path: with PYTHONPATH=tests/data/python/own_site, this one.
import sys

print("own sitecustomize ran", file=sys.stderr, flush=True)
