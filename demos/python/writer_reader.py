"""writer_reader.py - the notes' 进程间通信 example "一个往Queue里写数据，一个
从Queue里读数据": one process writes a Queue, another reads it.  The Python
twin of demos/writer-reader.c.

Watch: the parent makes the Queue before it starts either child, so both
inherit it.  The writer puts A, B, C while the parent is blocked in
pw.join(); the letters stay in the Queue after the writer has ended (the
parent alone with them for 3 s); then the reader takes them while the
parent is blocked in pr.join().  About 13 s at --tempo 1.

Usage: writer_reader.py [--tempo X]   (X from 0 to 10, a pause
multiplier; default 1, 0 = no pauses)
"""
import os
import random
from multiprocessing import Process, Queue

from demo import _, ngettext, sleep  # --tempo and sleep(): see demo.py


# 写数据进程执行的代码:
def write(q):
    print(_("writer: pid %d, starting") % os.getpid())
    sleep(1)
    for value in ['A', 'B', 'C']:
        print('Put %s to queue...' % value)
        q.put(value)
        sleep(random.random())


# 读数据进程执行的代码:
def read(q):
    print(_("reader: pid %d, starting") % os.getpid())
    sleep(1)
    while True:
        if not q.empty():
            value = q.get(True)
            print('Get %s from queue.' % value)
            sleep(random.random())
        else:
            break


if __name__ == '__main__':
    print(_("parent: pid %d, making a Queue") % os.getpid())
    # 父进程创建Queue，并传给各个子进程：
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    sleep(3)
    # 启动子进程pw，写入:
    pw.start()
    # 等待pw结束:
    pw.join()
    n = q.qsize()
    print(ngettext("parent: the writer has ended; %d letter waits in the queue",
                   "parent: the writer has ended; %d letters wait in the queue", n) % n)
    sleep(3)
    # 启动子进程pr，读取:
    pr.start()
    pr.join()
    print('所有数据都写入并且读完')
    sleep(2)
    print(_("parent: exiting"))
