# The notes' Process with join(), and a terminate() of a second one.
from multiprocessing import Process
import os
import time


def run_proc(name):
    print("子进程运行中，name= %s ,pid=%d..." % (name, os.getpid()))


def forever():
    time.sleep(60)


if __name__ == "__main__":
    print("父进程 %d." % os.getpid())
    p = Process(target=run_proc, args=("test",))
    p.start()
    p.join()
    q = Process(target=forever, name="dongGe")
    q.start()
    time.sleep(0.05)
    q.terminate()
    q.join()
    print("子进程已结束")
