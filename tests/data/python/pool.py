# The notes' Pool(3) on 10 tasks with apply_async (without its sleeps).
from multiprocessing import Pool
import os


def worker(msg):
    print("%s开始执行,进程号为%d" % (msg, os.getpid()))
    return msg


if __name__ == "__main__":
    po = Pool(3)
    for i in range(0, 10):
        po.apply_async(worker, (i,))
    print("----start----")
    po.close()
    po.join()
    print("-----end-----")
