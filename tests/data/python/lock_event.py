# A multiprocessing Event and Lock.  A child waits in ready.wait() for the
# hold until the parent sets ready; then the parent holds lock while a
# second child blocks in lock.acquire() for the hold.  Each line is
# printed by one process after the one before it has happened, so the
# order is fixed.
from multiprocessing import Event, Lock, Process
import argparse
import time


def wait_ready(ready):
    ready.wait()
    print("child: ready is set", flush=True)


def take_lock(lock):
    lock.acquire()
    print("child: got the lock", flush=True)
    lock.release()


parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    ready = Event()
    lock = Lock()

    p1 = Process(target=wait_ready, args=(ready,))
    p1.start()
    time.sleep(HOLD)  # the child is blocked in ready.wait()
    print("parent: ready.set()", flush=True)
    ready.set()
    p1.join()
    print("parent: p1 joined, exitcode %s" % p1.exitcode, flush=True)

    lock.acquire()
    print("parent: holding the lock", flush=True)
    p2 = Process(target=take_lock, args=(lock,))
    p2.start()
    time.sleep(HOLD)  # the child is blocked in lock.acquire()
    print("parent: lock.release()", flush=True)
    lock.release()
    p2.join()
    print("parent: p2 joined, exitcode %s" % p2.exitcode, flush=True)
