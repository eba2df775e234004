# What /proc says of a multiprocessing child, from inside it: its name in
# /proc/PID/comm, and whether it was started with forkscope's hook.  Only
# the parent prints, after the child has answered.
import os
from multiprocessing import Process, Queue


def look(q):
    with open("/proc/self/comm") as f:
        comm = f.read().strip()
    q.put("comm=%s hook=%s" % (comm, "FORKSCOPE_HOOK" in os.environ))


if __name__ == "__main__":
    q = Queue()
    p = Process(target=look, args=(q,))
    p.start()
    print(q.get(True, 10), flush=True)
    p.join()
