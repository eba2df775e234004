# The notes' Process examples: run_proc("test") as Process-1, and a second
# Process named "dongGe".  The parent is blocked in p1.join() for the hold;
# dongGe ends halfway through it and stays a zombie until p2.join().
# Only Process-1 and, after the joins, the parent print: the output does
# not depend on timing.
from multiprocessing import Process
import argparse
import time


# 子进程要执行的代码
def run_proc(name):
    print("子进程运行中，name= %s ..." % name, flush=True)
    time.sleep(HOLD)


def worker_2(interval):
    # prints nothing, so that no line races run_proc's
    time.sleep(interval)


parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    print("父进程", flush=True)
    p1 = Process(target=run_proc, args=("test",))
    p2 = Process(target=worker_2, name="dongGe", args=(HOLD / 2,))
    print("子进程将要执行", flush=True)
    p1.start()
    p2.start()
    # 等待子进程结束后才执行后面的代码，通常用于进程间的同步
    p1.join()
    print("p1.name=%s" % p1.name, flush=True)
    print("p1.is_alive=%s" % p1.is_alive(), flush=True)
    p2.join()
    print("p2.name=%s" % p2.name, flush=True)
    print("p2.exitcode=%s" % p2.exitcode, flush=True)
    print("子进程已结束", flush=True)
