# Run with PYTHONPATH=tests/data/python/own_site: Python runs that folder's
# sitecustomize.py first (it prints to stderr), then this.
print("main ran", flush=True)
