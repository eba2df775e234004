# The notes' writer and reader of one Queue: the writer puts A, B, C (a
# third of the hold after each) while the parent is blocked in pw.join();
# then the reader gets them (the same pauses) while the parent is blocked
# in pr.join().  One child runs at a time, so the output order is fixed.
from multiprocessing import Process, Queue
import argparse
import time


# 写数据进程执行的代码:
def write(q):
    for value in ["A", "B", "C"]:
        print("Put %s to queue..." % value, flush=True)
        q.put(value)
        time.sleep(HOLD / 3)


# 读数据进程执行的代码:
def read(q):
    while True:
        if not q.empty():
            value = q.get(True)
            print("Get %s from queue." % value, flush=True)
            time.sleep(HOLD / 3)
        else:
            break


parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    # 父进程创建Queue，并传给各个子进程：
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    # 启动子进程pw，写入:
    pw.start()
    # 等待pw结束:
    pw.join()
    print("writer joined, qsize %d" % q.qsize(), flush=True)
    # 启动子进程pr，读取:
    pr.start()
    pr.join()
    print("reader joined, qsize %d" % q.qsize(), flush=True)
    print("所有数据都写入并且读完", flush=True)
